package io.invoiceharvester.edgegrid;

import java.net.URI;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/** Puts the EdgeGrid interceptor last in the HTTP component's client, after every header is set. */
public class EdgeGridClientConfigurer implements HttpClientConfigurer {

    private final EdgeGridInterceptor interceptor;

    public EdgeGridClientConfigurer(RequestSigner signer, String baseUrl) {
        URI base = URI.create(baseUrl);
        String authority = base.getPort() == -1 ? base.getHost() : base.getHost() + ":" + base.getPort();
        this.interceptor = new EdgeGridInterceptor(signer, authority);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        // HttpClient would silently retry 429/503 once; the routes' error handling owns every retry and its count
        builder.disableAutomaticRetries();
        builder.addRequestInterceptorLast(interceptor);
    }
}
