package io.invoiceharvester.run;

/**
 * The waits between a request's attempts, without the error handler's jitter: harvester.retry.initial-delay,
 * growing by harvester.retry.backoff-multiplier up to harvester.retry.max-delay, the keys
 * routes/error-handling.camel.yaml's redelivery policy reads too.
 */
public record Backoff(long initialDelayMillis, double multiplier, long maxDelayMillis) {

    /** The waits up to and including the one before this retry (1: before the second attempt). */
    long waitedBefore(int retries) {
        long total = 0;
        double delay = initialDelayMillis;
        for (int i = 0; i < retries; i++) {
            total += (long) delay;
            delay = Math.min(delay * multiplier, maxDelayMillis);
        }
        return total;
    }
}
