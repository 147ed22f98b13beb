package io.invoiceharvester.http;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The connections of every provider call, one pool for the harvester: TLS with the JVM's authorities plus
 * harvester.http.truststore, the configured timeouts, bounds on what a response's head may hold (line
 * length, header count), and no pooled connection reused without a check after a pause (a proxy may
 * have closed it: a request on it would never reach the server).
 */
public final class ProviderConnections {

    /** The longest status or header line read: a 600 MB header line is refused, not read into memory. */
    public static final int MAX_LINE_LENGTH = 64 * 1024;
    /** The most header fields a response may carry. */
    public static final int MAX_HEADER_COUNT = 200;
    /** Every pooled connection is checked before reuse (a proxy may have closed it a moment ago). */
    static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ZERO_MILLISECONDS;

    private ProviderConnections() {
    }

    public static PoolingHttpClientConnectionManager create(Outbound outbound, int concurrency, Duration connectTimeout,
                                                            Duration readTimeout) {
        SSLContext tls = outbound.sslContext() != null ? outbound.sslContext() : SSLContexts.createDefault();
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).buildClassic())
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom().setMaxLineLength(MAX_LINE_LENGTH).setMaxHeaderCount(MAX_HEADER_COUNT).build())
                        .build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(Timeout.of(readTimeout)).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(readTimeout)).setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .setTimeToLive(TimeValue.ofMinutes(5)).build())
                .setMaxConnTotal(2 * concurrency)
                .setMaxConnPerRoute(2 * concurrency)
                .build();
    }
}
