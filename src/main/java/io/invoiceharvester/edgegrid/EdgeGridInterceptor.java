package io.invoiceharvester.edgegrid;

import io.invoiceharvester.http.HostBoundInterceptor;
import io.invoiceharvester.http.RequestPacer;
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
    private final RequestPacer pacer;

    public EdgeGridInterceptor(RequestSigner signer, String baseUrl) {
        this(signer, baseUrl, null);
    }

    /** @param pacer the per-account request limit, applied before signing so the timestamp is fresh; may be null */
    public EdgeGridInterceptor(RequestSigner signer, String baseUrl, RequestPacer pacer) {
        super(baseUrl);
        this.signer = signer;
        this.pacer = pacer;
    }

    @Override
    protected void authorize(HttpRequest request) throws IOException {
        if (pacer != null) {
            try {
                pacer.acquire(account(request.getRequestUri()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the request limit");
            }
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

    /** The account a request runs as: its switch key, or the credential's own. */
    static String account(String requestUri) {
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
