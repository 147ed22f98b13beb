package io.invoiceharvester.run;

import io.invoiceharvester.akamai.MalformedListException;
import io.invoiceharvester.akamai.RefusedLinkException;
import io.invoiceharvester.delivery.InvalidContentException;
import io.invoiceharvester.http.HostBoundInterceptor;
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

    /** @param redelivery 1 before the first retry (the second attempt), 2 before the next, ... */
    public boolean again(Throwable error, int redelivery) {
        return redelivery < maxAttempts && isTransient(error) && waitedBefore(redelivery) <= maxWaitMillis;
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
            if (t instanceof HostBoundInterceptor.ForeignHostException || t instanceof InvalidContentException
                    || t instanceof RefusedLinkException || t instanceof MalformedListException) {
                return false;
            }
        }
        return error instanceof IOException || error.getCause() instanceof IOException;
    }
}
