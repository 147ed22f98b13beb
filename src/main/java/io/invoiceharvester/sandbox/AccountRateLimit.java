package io.invoiceharvester.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Akamai's request limit, as the sandbox enforces it: at most {@code perMinute} requests of one account
 * in any 60 seconds; the one over it is refused (429) and counted. A limit of 0 is no limit.
 */
final class AccountRateLimit {

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final int perMinute;
    private final Map<String, ArrayDeque<Long>> recent = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();

    AccountRateLimit(int perMinute) {
        this.perMinute = perMinute;
    }

    /**
     * Counts a request of this account now: null when it is within the limit, else Akamai's documented 429
     * problem body (rateLimit, rateLimitRemaining, rateLimitReset, rateLimitNextRequest). Akamai documents no
     * rate-limit headers on this API, so the sandbox sends none.
     */
    ObjectNode admit(String account) {
        if (perMinute <= 0) {
            return null;
        }
        long now = System.nanoTime();
        if (admit(account, now) >= 0) {
            return null;
        }
        Instant next = Instant.now().plusNanos(Math.max(0, oldest(account) + MINUTE - now));
        ObjectNode problem = new ObjectMapper().createObjectNode();
        problem.put("type", "/billing/error-types/429").put("title", "Too Many Requests")
                .put("detail", "The rate limit for this account has been exceeded.")
                .put("details", perMinute + " requests a minute for each account").put("rateLimit", perMinute)
                .put("rateLimitRemaining", 0).put("rateLimitReset", next.toString()).put("rateLimitNextRequest", next.toString());
        return problem;
    }

    private long oldest(String account) {
        ArrayDeque<Long> times = recent.get(account);
        synchronized (times) {
            return times.isEmpty() ? System.nanoTime() : times.peekFirst();
        }
    }

    /** Counts a request of this account; returns what remains of its minute, or -1 when it is over the limit. */
    int admit(String account, long now) {
        ArrayDeque<Long> times = recent.computeIfAbsent(account, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= now - MINUTE) {
                times.pollFirst();
            }
            if (times.size() >= perMinute) {
                refused.incrementAndGet();
                return -1;
            }
            times.addLast(now);
            return perMinute - times.size();
        }
    }

    int refused() {
        return refused.get();
    }
}
