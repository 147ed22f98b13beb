package io.invoiceharvester.edgegrid;

import com.akamai.edgegrid.signer.ClientCredential;
import com.akamai.edgegrid.signer.EdgeGridV1Signer;
import com.akamai.edgegrid.signer.Request;
import com.akamai.edgegrid.signer.exceptions.RequestSigningException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes the EdgeGrid v1 Authorization value of one request as it goes on the wire. The request
 * target (path and query) is taken byte for byte; the host signed is always the credential's.
 */
public class RequestSigner {

    private final ClientCredential credential;
    private final EdgeGridV1Signer signer;

    public RequestSigner(EdgeGridCredentials credentials) {
        this(credentials, new EdgeGridV1Signer());
    }

    /** With a given signer: tests and the verifier fix its timestamp and nonce. */
    protected RequestSigner(EdgeGridCredentials c, EdgeGridV1Signer signer) {
        ClientCredential.ClientCredentialBuilder b = ClientCredential.builder()
                .host(c.host()).clientToken(c.clientToken()).clientSecret(c.clientSecret())
                .accessToken(c.accessToken()).maxBodySize(c.maxBody());
        if (!c.headersToSign().isEmpty()) {
            b.headersToSign(Set.copyOf(c.headersToSign()));
        }
        this.credential = b.build();
        this.signer = signer;
    }

    public String host() {
        return credential.getHost();
    }

    /**
     * @param requestTarget the raw path and query exactly as sent, e.g. {@code /a/b?k=1-5C0YLB:1-8BYUX}
     * @param headers       the request's headers (only those the credential names are signed)
     */
    public String authorization(String method, String requestTarget, Map<String, String> headers, byte[] body) {
        URI uri;
        try {
            uri = new URI("https://" + credential.getHost() + requestTarget);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("request target is not a valid URI: " + e.getMessage());
        }
        // The library signs the decoded query; a percent-escape would be signed differently from what is sent.
        if (uri.getRawQuery() != null && !uri.getRawQuery().equals(uri.getQuery())) {
            throw new IllegalArgumentException("refusing to sign a query with percent-escapes (" + uri.getRawQuery()
                    + "): it would not match the signature the API computes");
        }
        Map<String, String> signed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        signed.putAll(headers);
        Request.RequestBuilder request = Request.builder().method(method).uri(uri).headers(signed);
        if (body != null) {
            request.body(body);
        }
        try {
            return signer.getSignature(request.build(), credential);
        } catch (RequestSigningException e) {
            throw new IllegalStateException("EdgeGrid signing failed: " + e.getMessage());
        }
    }
}
