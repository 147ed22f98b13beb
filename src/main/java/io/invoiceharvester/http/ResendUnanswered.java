package io.invoiceharvester.http;

import java.io.IOException;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * HttpClient's own retry, for one case only: a GET sent on a pooled connection that the server or a
 * forward proxy had already closed gets no response at all. That request never reached the provider: it
 * is sent again at once, on a fresh connection, without spending one of the routes' attempts (which own
 * every other retry: statuses, timeouts, resets, with their backoff and their bound).
 */
final class ResendUnanswered implements HttpRequestRetryStrategy {

    /** Resends of one attempt: a pool can hold a few closed connections in a row. */
    static final int MAX_RESENDS = 3;

    @Override
    public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
        return exception instanceof NoHttpResponseException && "GET".equals(request.getMethod()) && execCount <= MAX_RESENDS;
    }

    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
        return false;
    }

    @Override
    public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
        return TimeValue.ZERO_MILLISECONDS;
    }
}
