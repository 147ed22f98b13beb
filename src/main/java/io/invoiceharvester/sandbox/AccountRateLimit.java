package io.invoiceharvester.sandbox;

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

    /** Counts a request of this account and sets its X-RateLimit headers; false when it is over the limit. */
    boolean admit(com.sun.net.httpserver.HttpExchange ex, String account) {
        if (perMinute <= 0) {
            return true;
        }
        int remaining = admit(account, System.nanoTime());
        ex.getResponseHeaders().set("X-RateLimit-Limit", Integer.toString(perMinute));
        ex.getResponseHeaders().set("X-RateLimit-Remaining", Integer.toString(Math.max(remaining, 0)));
        return remaining >= 0;
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
