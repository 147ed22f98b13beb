package io.invoiceharvester.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHost;

/**
 * How every provider call leaves the server: through harvester.http.proxy when set, trusting the JVM's
 * certificate authorities plus those of harvester.http.truststore (a private CA, a TLS-inspecting proxy),
 * and following no redirect (a redirect could carry the credentials elsewhere or downgrade to http).
 */
public final class Outbound {

    private final HttpHost proxy;
    private final X509TrustManager trust;

    private Outbound(HttpHost proxy, X509TrustManager trust) {
        this.proxy = proxy;
        this.trust = trust;
    }

    /** Direct, the JVM's trust, no redirects. */
    public static Outbound direct() {
        return new Outbound(null, null);
    }

    /**
     * @param proxyUrl http://host:port, or empty for direct connections
     * @param truststore a PKCS12 or JKS file, or null
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Outbound of(String proxyUrl, Path truststore, String password) {
        return new Outbound(proxy(proxyUrl), truststore == null ? null : trust(truststore, password));
    }

    private static HttpHost proxy(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI u;
        try {
            u = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL (http://host:port)");
        }
        if (!"http".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 1 || u.getUserInfo() != null
                || u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
            throw new IllegalArgumentException("'" + url + "' must be http://host:port (no credentials, no path)");
        }
        return new HttpHost("http", u.getHost(), u.getPort());
    }

    private static X509TrustManager trust(Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
            extra.load(in, password == null || password.isEmpty() ? null : password.toCharArray());
            if (extra.size() == 0) {
                throw new IllegalArgumentException(file + " holds no certificate");
            }
            return new EitherTrust(List.of(manager(null), manager(extra)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " cannot be read as a trust store (" + e.getMessage() + ")");
        }
    }

    private static X509TrustManager manager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        for (TrustManager m : f.getTrustManagers()) {
            if (m instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** harvester.http.proxy as a URI (http://host:port), or null for direct connections. */
    public URI proxyUri() {
        return proxy == null ? null : URI.create(proxy.toURI());
    }

    /** The JVM's authorities and harvester.http.truststore's, or null when the JVM's are all. */
    public X509TrustManager trustManager() {
        return trust;
    }

    /**
     * The rule of every outside endpoint the harvester sends credentials to (the providers, the ledger bucket):
     * https, or http only to this machine (the sandbox, a test stub).
     */
    public static boolean inClearOnlyToThisMachine(URI endpoint) {
        return "https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme()) && isLoopback(endpoint.getHost());
    }

    /** localhost, ::1 or 127.x.x.x. */
    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.equalsIgnoreCase("localhost") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
    }

    /** Every HTTP client of the harvester: the proxy, and no redirects. */
    public void configure(HttpClientBuilder builder) {
        builder.disableRedirectHandling();
        if (proxy != null) {
            builder.setProxy(proxy);
        }
    }

    /** The TLS context of provider connections (ProviderConnections): null when the JVM's trust is enough. */
    public SSLContext sslContext() {
        if (trust == null) {
            return null;
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "Outbound[" + (proxy == null ? "direct" : "proxy " + proxy) + (trust == null ? "" : ", extra trust store") + "]";
    }

    /** Trusts what any of its managers trusts: the JVM's authorities, then the extra store's. */
    private static final class EitherTrust implements X509TrustManager {
        private final List<X509TrustManager> managers;

        EitherTrust(List<X509TrustManager> managers) {
            this.managers = managers;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the harvester trusts servers only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificateException last = null;
            for (X509TrustManager m : managers) {
                try {
                    m.checkServerTrusted(chain, authType);
                    return;
                } catch (CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>();
            for (X509TrustManager m : managers) {
                all.addAll(List.of(m.getAcceptedIssuers()));
            }
            return all.toArray(X509Certificate[]::new);
        }
    }
}
