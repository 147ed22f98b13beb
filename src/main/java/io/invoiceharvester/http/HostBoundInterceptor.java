package io.invoiceharvester.http;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Adds a provider's credentials to a request right before HttpClient sends it, and only when it goes
 * to the configured API host: a request anywhere else is refused before any credential is attached.
 */
public abstract class HostBoundInterceptor implements HttpRequestInterceptor {

    private final String allowedScheme;
    private final String allowedAuthority;

    protected HostBoundInterceptor(String baseUrl) {
        URI base = URI.create(baseUrl);
        String authority = base.getPort() == -1 ? base.getHost() : base.getHost() + ":" + base.getPort();
        this.allowedScheme = base.getScheme().toLowerCase(Locale.ROOT);
        this.allowedAuthority = authority.toLowerCase(Locale.ROOT);
    }

    @Override
    public final void process(HttpRequest request, EntityDetails entity, HttpContext context) throws HttpException, IOException {
        String authority = request.getAuthority() == null ? "" : request.getAuthority().toString().toLowerCase(Locale.ROOT);
        String scheme = request.getScheme() == null ? "" : request.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals(allowedScheme)) {
            throw new ForeignHostException("refused to send credentials over " + scheme + ": the configured API is "
                    + allowedScheme + "://" + allowedAuthority);
        }
        if (!authority.equals(allowedAuthority)) {
            throw new ForeignHostException("refused to send credentials to " + authority + ": only " + allowedAuthority
                    + " is the configured API host");
        }
        authorize(request);
    }

    /** Sets the credentials on a request bound for the API host. */
    protected abstract void authorize(HttpRequest request) throws HttpException, IOException;

    /** A request with credentials aimed at a host other than the API's. */
    public static class ForeignHostException extends HttpException {
        public ForeignHostException(String message) {
            super(message);
        }
    }
}
