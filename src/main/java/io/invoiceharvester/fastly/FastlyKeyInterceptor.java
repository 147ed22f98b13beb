package io.invoiceharvester.fastly;

import io.invoiceharvester.http.HostBoundInterceptor;
import org.apache.hc.core5.http.HttpRequest;

/** Sends the Fastly API token as Fastly-Key, to the configured Fastly host only. */
public class FastlyKeyInterceptor extends HostBoundInterceptor {

    private final String token;

    public FastlyKeyInterceptor(String token, String baseUrl) {
        super(baseUrl);
        this.token = token;
    }

    @Override
    protected void authorize(HttpRequest request) {
        request.setHeader("Fastly-Key", token);
    }

    @Override
    public String toString() {
        return "FastlyKeyInterceptor[token=(hidden)]";
    }
}
