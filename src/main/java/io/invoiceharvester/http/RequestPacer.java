package io.invoiceharvester.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A client-side request limit per key (Akamai: per account): requests are spaced evenly, at most
 * {@code perMinute} a minute, so a run stays under the provider's limit instead of meeting its 429s.
 * A request waits twice: for its turn ({@link #acquire}, before it takes a request slot, so waiting never
 * holds one), and, once it has a slot, for the interval since the key's last send ({@link #spaceSend}),
 * because the wait for a slot can bunch requests that were paced apart.
 */
public class RequestPacer {

    private final long intervalNanos;
    private final Map<String, long[]> next = new ConcurrentHashMap<>();

    public RequestPacer(int perMinute) {
        this.intervalNanos = TimeUnit.MINUTES.toNanos(1) / perMinute;
    }

    /**
     * Blocks until this key may send its next request.
     *
     * @param deadline System.nanoTime() by which the turn must come (the run's deadline)
     * @return false, at once, when the turn comes after the deadline
     */
    public boolean acquire(String key, long deadline) throws InterruptedException {
        long now = System.nanoTime();
        long wait = reserve(key, now);
        if (deadline != Long.MAX_VALUE && now + wait - deadline > 0) {
            return false;
        }
        sleep(wait);
        return true;
    }

    /** Blocks until one interval has passed since this key's last send, and counts this one as sent. */
    public void spaceSend(String key) throws InterruptedException {
        sleep(reserveSend(key, System.nanoTime()));
    }

    /** Takes the key's next free turn at or after {@code now}; returns how long to wait for it. */
    long reserve(String key, long now) {
        return take(state(key, now), 0, now);
    }

    /** Takes the key's next send time at or after {@code now}; returns how long to wait for it. */
    long reserveSend(String key, long now) {
        return take(state(key, now), 1, now);
    }

    /** [0] the next free turn, [1] the earliest next send. */
    private long[] state(String key, long now) {
        return next.computeIfAbsent(key, k -> new long[] {now, now});
    }

    private long take(long[] state, int which, long now) {
        synchronized (state) {
            long at = Math.max(now, state[which]);
            state[which] = at + intervalNanos;
            return at - now;
        }
    }

    private static void sleep(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }
}
