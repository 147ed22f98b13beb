package io.invoiceharvester.ledger.publish;

import io.invoiceharvester.http.Cutoffs;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The ledger bucket's HTTP client, each call it has in flight known, so that the run's deadline and a stop of the
 * service abort them (Cutoffs); the S3 client's own call timeouts bound each one besides.
 */
final class BucketCalls implements SdkHttpClient, Cutoffs.Party {

    private static final Logger LOG = LoggerFactory.getLogger(BucketCalls.class);

    private final SdkHttpClient http;
    private final Set<ExecutableHttpRequest> inFlight = ConcurrentHashMap.newKeySet();
    /** Why calls are refused (the run passed its deadline, the service stops), or null. */
    private volatile String cut;

    BucketCalls(SdkHttpClient http) {
        this.http = http;
    }

    /** Every call in flight, aborted, and new ones refused (the SDK's retries too): the month waits for the next run. */
    @Override
    public void cutAll(String why) {
        cut = why;
        for (ExecutableHttpRequest call : inFlight) {
            LOG.warn("ledger bucket call cut ({}): the month waits for the next run", why);
            call.abort();
        }
    }

    @Override
    public void resume() {
        cut = null;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest call = http.prepareRequest(request);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws java.io.IOException {
                String why = cut;
                if (why != null) {
                    throw new java.io.IOException("not sent: " + why);
                }
                inFlight.add(this);
                try {
                    return call.call();
                } finally {
                    inFlight.remove(this);
                }
            }

            @Override
            public void abort() {
                call.abort();
            }
        };
    }

    @Override
    public String clientName() {
        return http.clientName();
    }

    @Override
    public void close() {
        http.close();
    }
}
