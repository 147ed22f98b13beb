package io.invoiceharvester.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A client-side request limit per key (Akamai: per account): requests are spaced evenly, at most
 * {@code perMinute} a minute, so a run stays under the provider's limit instead of meeting its 429s.
 */
public class RequestPacer {

    private final long intervalNanos;
    private final Map<String, long[]> next = new ConcurrentHashMap<>();

    public RequestPacer(int perMinute) {
        this.intervalNanos = TimeUnit.MINUTES.toNanos(1) / perMinute;
    }

    /** Blocks until this key may send its next request. */
    public void acquire(String key) throws InterruptedException {
        long wait = reserve(key, System.nanoTime());
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Takes the key's next free slot at or after {@code now}; returns how long to wait for it. */
    long reserve(String key, long now) {
        long[] slot = next.computeIfAbsent(key, k -> new long[] {now});
        synchronized (slot) {
            long at = Math.max(now, slot[0]);
            slot[0] = at + intervalNanos;
            return at - now;
        }
    }
}
