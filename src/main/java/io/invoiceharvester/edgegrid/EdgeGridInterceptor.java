package io.invoiceharvester.edgegrid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Signs every request right before HttpClient sends it, so each retry and redirect carries a fresh
 * signature over the exact request target on the wire. A request to any host but the API's is
 * refused: credentials never leave for another host.
 */
public class EdgeGridInterceptor implements HttpRequestInterceptor {

    private final RequestSigner signer;
    private final String allowedAuthority;

    /** @param allowedAuthority host[:port] requests may go to (the configured API base URL's) */
    public EdgeGridInterceptor(RequestSigner signer, String allowedAuthority) {
        this.signer = signer;
        this.allowedAuthority = allowedAuthority.toLowerCase(Locale.ROOT);
    }

    @Override
    public void process(HttpRequest request, EntityDetails entity, HttpContext context) throws HttpException, IOException {
        String authority = request.getAuthority() == null ? "" : request.getAuthority().toString().toLowerCase(Locale.ROOT);
        if (!authority.equals(allowedAuthority)) {
            throw new ForeignHostException("refused to send a signed request to " + authority
                    + ": only " + allowedAuthority + " is the configured Akamai API host");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : request.getHeaders()) {
            headers.put(h.getName(), h.getValue());
        }
        byte[] body = null;
        if (request instanceof ClassicHttpRequest classic && classic.getEntity() != null) {
            body = repeatableBody(classic.getEntity());
        }
        request.setHeader(HttpHeaders.AUTHORIZATION,
                signer.authorization(request.getMethod(), request.getRequestUri(), headers, body));
    }

    private static byte[] repeatableBody(HttpEntity entity) throws IOException {
        if (!entity.isRepeatable()) {
            throw new IOException("cannot sign a request with a one-shot body");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entity.writeTo(out);
        return out.toByteArray();
    }

    /** A signed request aimed at a host other than the API's. */
    public static class ForeignHostException extends HttpException {
        public ForeignHostException(String message) {
            super(message);
        }
    }
}
