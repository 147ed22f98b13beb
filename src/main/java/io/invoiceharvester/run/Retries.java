package io.invoiceharvester.run;

import io.invoiceharvester.akamai.RefusedLinkException;
import io.invoiceharvester.http.HostBoundInterceptor;
import io.invoiceharvester.http.RequestSlots;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.MalformedListException;
import io.invoiceharvester.state.FailureReport;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Decides whether a failed request is tried again: transient failures only, within the attempt and wait
 * bounds. The waits between attempts are the error handler's: routes/error-handling.camel.yaml and this
 * class read the same keys, harvester.retry.initial-delay, .backoff-multiplier and .max-delay ({@link Backoff}).
 */
public class Retries {

    private final int maxAttempts;
    private final long maxWaitMillis;
    private final Backoff backoff;

    public Retries(int maxAttempts, Duration maxWait, Backoff backoff) {
        this.maxAttempts = maxAttempts;
        this.maxWaitMillis = maxWait.toMillis();
        this.backoff = backoff;
    }

    /** The retryWhile of the error handler: this request's failure, retry count and rate-limit waits. */
    /** harvester.retry.max-attempts: every attempt of a request, the first included. */
    public int attempts() {
        return maxAttempts;
    }

    public boolean again(Exchange exchange) {
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int redelivery = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        if (redelivery <= 1) {
            exchange.setProperty(ExchangeProperties.RATE_LIMITED_MILLIS, 0L); // a new request: its own budget
        }
        return again(error, redelivery, exchange.getProperty(ExchangeProperties.RATE_LIMITED_MILLIS, 0L, Long.class), backoff);
    }

    /**
     * @param redelivery 1 before the first retry (the second attempt), 2 before the next, ...
     * @param rateLimitedMillis what this request waited for rate limits so far: every wait counts
     */
    boolean again(Throwable error, int redelivery, long rateLimitedMillis, Backoff waits) {
        return redelivery < maxAttempts && isTransient(error) && waits.waitedBefore(redelivery) + rateLimitedMillis <= maxWaitMillis;
    }

    /** What is left of harvester.retry.max-wait for a rate-limit wait before this retry. */
    long remaining(int redelivery, long rateLimitedMillis) {
        return Math.max(0, maxWaitMillis - backoff.waitedBefore(redelivery) - rateLimitedMillis);
    }

    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException h) {
                int s = h.getStatusCode();
                return s == 408 || s == 429 || s >= 500;
            }
            if (t instanceof HostBoundInterceptor.ForeignHostException || t instanceof RequestSlots.RefusedRequestException
                    || t instanceof RequestSlots.DeadlineException || FailureReport.isRefusedCertificate(t)
                    // a mail waits in the outbox for the next run or `outbox send`: the HTTP backoff is not for it
                    || t instanceof MessagingException
                    // the ledger bucket's client retries on its own, within harvester.ledger.publish-timeout
                    || t instanceof SdkException
                    || t instanceof InvalidContentException
                    || t instanceof RefusedLinkException || t instanceof MalformedListException) {
                return false;
            }
        }
        return error instanceof IOException || error.getCause() instanceof IOException;
    }
}
