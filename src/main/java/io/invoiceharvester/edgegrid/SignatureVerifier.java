package io.invoiceharvester.edgegrid;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks an EdgeGrid Authorization header the way the API gateway does: same tokens, a timestamp
 * within the allowed skew, and a signature recomputed over the request as received. Used by the
 * sandbox and by the tests that check every request a stub API received.
 */
public final class SignatureVerifier {

    private final EdgeGridCredentials credentials;
    private final Duration maxSkew;

    public SignatureVerifier(EdgeGridCredentials credentials, Duration maxSkew) {
        this.credentials = credentials;
        this.maxSkew = maxSkew;
    }

    /** @return null when the signature is good, else what is wrong (the 401 detail) */
    public String problem(String method, String requestTarget, Map<String, String> headers, String authorization) {
        if (authorization == null || !authorization.startsWith("EG1-HMAC-SHA256 ")) {
            return "The request is not signed with EG1-HMAC-SHA256";
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : authorization.substring("EG1-HMAC-SHA256 ".length()).split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        if (!credentials.clientToken().equals(parts.get("client_token"))
                || !credentials.accessToken().equals(parts.get("access_token"))) {
            return "Invalid client token or access token";
        }
        String timestamp = parts.get("timestamp");
        String nonce = parts.get("nonce");
        if (timestamp == null || nonce == null || parts.get("signature") == null) {
            return "The signature is incomplete";
        }
        try {
            Instant signedAt = LocalDateTime.parse(timestamp, FixedTimeSigner.TIMESTAMP).toInstant(ZoneOffset.UTC);
            if (maxSkew != null && Duration.between(signedAt, Instant.now()).abs().compareTo(maxSkew) > 0) {
                return "The timestamp is too far from the server's clock";
            }
        } catch (DateTimeParseException e) {
            return "The timestamp is malformed";
        }
        String expected;
        try {
            expected = new RequestSigner(credentials, new FixedTimeSigner(timestamp, nonce))
                    .authorization(method, requestTarget, headers, null);
        } catch (IllegalArgumentException e) {
            return "The signature does not match";
        }
        boolean same = MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                authorization.getBytes(StandardCharsets.UTF_8));
        return same ? null : "The signature does not match";
    }
}
