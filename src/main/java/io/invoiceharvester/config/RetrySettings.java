package io.invoiceharvester.config;

import java.time.Duration;

/**
 * How a failed request is tried again (harvester.retry.max-attempts, .initial-delay,
 * .backoff-multiplier, .max-delay, .max-wait): attempts, the waits between them (the first,
 * how each grows, the longest) and the total wait. routes/error-handling.camel.yaml's redelivery policy
 * and Retries read the same keys, so the numbers have one source.
 */
public record RetrySettings(int attempts, Duration maxWait, long initialDelayMillis, double multiplier, long maxDelayMillis) {

    static RetrySettings of(HarvesterConfig cfg, Problems problems) {
        int attempts = problems.check(() -> cfg.getInt("harvester.retry.max-attempts", 1, 50), 1);
        long initial = problems.check(() -> cfg.getLong("harvester.retry.initial-delay", 0), 0L);
        double multiplier = problems.check(() -> cfg.getDouble("harvester.retry.backoff-multiplier", 1, 10), 1.0);
        long max = problems.check(() -> cfg.getLong("harvester.retry.max-delay", 0), 0L);
        Duration maxWait = problems.check(() -> cfg.getDuration("harvester.retry.max-wait"), Duration.ZERO);
        return new RetrySettings(attempts, maxWait, initial, multiplier, max);
    }
}
