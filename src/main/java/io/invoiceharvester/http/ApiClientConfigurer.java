package io.invoiceharvester.http;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;

/**
 * Gives a provider's HTTP endpoints the harvester's connections (ProviderConnections), their request slot
 * (pacing and deadlines included) and their credentials interceptor, last, after every header is set and
 * every wait is over.
 */
public class ApiClientConfigurer implements HttpClientConfigurer {

    private final HostBoundInterceptor interceptor;
    private final Outbound outbound;
    private final HttpClientConnectionManager connections;
    private final ExecChainHandler slot;

    public ApiClientConfigurer(HostBoundInterceptor interceptor, Outbound outbound, HttpClientConnectionManager connections,
                               ExecChainHandler slot) {
        this.interceptor = interceptor;
        this.outbound = outbound;
        this.connections = connections;
        this.slot = slot;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        // HttpClient would silently retry 429/503 once; the routes' error handling owns every retry and its count,
        // but for a request sent on a connection that was already closed: it never reached the provider
        builder.setRetryStrategy(new ResendUnanswered());
        outbound.configure(builder);
        // the harvester's one pool (ProviderConnections), instead of the pool Camel made for the endpoint
        builder.setConnectionManager(connections);
        builder.setConnectionManagerShared(true);
        if (slot != null) {
            // before the protocol step, which runs the interceptors: a request is signed after its waits
            builder.addExecInterceptorBefore(ChainElement.PROTOCOL.name(), "request-slot", slot);
        }
        builder.addRequestInterceptorLast(interceptor);
    }
}
