package io.invoiceharvester.run;

import org.apache.camel.Exchange;
import io.invoiceharvester.akamai.MalformedListException;
import io.invoiceharvester.akamai.RefusedLinkException;
import io.invoiceharvester.delivery.InvalidContentException;
import io.invoiceharvester.http.HostBoundInterceptor;
import io.invoiceharvester.http.RequestSlots;
import java.io.IOException;
import java.time.Duration;
import org.apache.camel.http.base.HttpOperationFailedException;

/** Decides whether a failed request is tried again: transient failures only, within the attempt and wait bounds. */
public class Retries {

    private final int maxAttempts;
    private final long initialDelayMillis;
    private final long maxWaitMillis;

    public Retries(int maxAttempts, long initialDelayMillis, Duration maxWait) {
        this.maxAttempts = maxAttempts;
        this.initialDelayMillis = initialDelayMillis;
        this.maxWaitMillis = maxWait.toMillis();
    }

    /** The exchange's time waited for rate limits in this request's retries (RateLimitWait adds to it). */
    public static final String RATE_LIMITED = "harvesterRateLimitedMillis";

    /** The retryWhile of the error handler: this request's failure, retry count and rate-limit waits. */
    public boolean again(Exchange exchange) {
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int redelivery = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        if (redelivery <= 1) {
            exchange.setProperty(RATE_LIMITED, 0L); // a new request: its own budget
        }
        return again(error, redelivery, exchange.getProperty(RATE_LIMITED, 0L, Long.class));
    }

    /**
     * @param redelivery 1 before the first retry (the second attempt), 2 before the next, ...
     * @param rateLimitedMillis what this request waited for rate limits so far: every wait counts
     */
    boolean again(Throwable error, int redelivery, long rateLimitedMillis) {
        return redelivery < maxAttempts && isTransient(error) && waitedBefore(redelivery) + rateLimitedMillis <= maxWaitMillis;
    }

    /** What is left of harvester.retry.max-wait for a rate-limit wait before this retry. */
    long remaining(int redelivery, long rateLimitedMillis) {
        return Math.max(0, maxWaitMillis - waitedBefore(redelivery) - rateLimitedMillis);
    }

    /** The backoff waits (without jitter) up to and including the one before this retry. */
    long waitedBefore(int retries) {
        long total = 0;
        long delay = initialDelayMillis;
        for (int i = 0; i < retries; i++) {
            total += delay;
            delay = Math.min(delay * 2, 60_000);
        }
        return total;
    }

    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException h) {
                int s = h.getStatusCode();
                return s == 408 || s == 429 || s >= 500;
            }
            if (t instanceof HostBoundInterceptor.ForeignHostException || t instanceof RequestSlots.RefusedRequestException
                    || t instanceof InvalidContentException
                    || t instanceof RefusedLinkException || t instanceof MalformedListException) {
                return false;
            }
        }
        return error instanceof IOException || error.getCause() instanceof IOException;
    }
}
