package io.invoiceharvester.edgegrid;

import io.invoiceharvester.http.HostBoundInterceptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;

/**
 * Signs every request right before HttpClient sends it, so each retry and redirect carries a fresh
 * signature over the exact request target on the wire.
 */
public class EdgeGridInterceptor extends HostBoundInterceptor {

    private final RequestSigner signer;

    public EdgeGridInterceptor(RequestSigner signer, String baseUrl) {
        super(baseUrl);
        this.signer = signer;
    }

    @Override
    protected void authorize(HttpRequest request) throws IOException {
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

    /** The account a request runs as: its switch key, or the credential's own. */
    public static String account(String requestUri) {
        int at = requestUri.indexOf("accountSwitchKey=");
        if (at < 0) {
            return "";
        }
        int end = requestUri.indexOf('&', at);
        return requestUri.substring(at + "accountSwitchKey=".length(), end < 0 ? requestUri.length() : end);
    }

    private static byte[] repeatableBody(HttpEntity entity) throws IOException {
        if (!entity.isRepeatable()) {
            throw new IOException("cannot sign a request with a one-shot body");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entity.writeTo(out);
        return out.toByteArray();
    }
}
