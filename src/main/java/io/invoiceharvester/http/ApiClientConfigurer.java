package io.invoiceharvester.http;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/** Gives a provider's HTTP endpoints their credentials interceptor, last, after every header is set. */
public class ApiClientConfigurer implements HttpClientConfigurer {

    private final HostBoundInterceptor interceptor;
    private final Outbound outbound;

    public ApiClientConfigurer(HostBoundInterceptor interceptor, Outbound outbound) {
        this.interceptor = interceptor;
        this.outbound = outbound;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        // HttpClient would silently retry 429/503 once; the routes' error handling owns every retry and its count
        builder.disableAutomaticRetries();
        outbound.configure(builder);
        builder.addRequestInterceptorLast(interceptor);
    }
}
