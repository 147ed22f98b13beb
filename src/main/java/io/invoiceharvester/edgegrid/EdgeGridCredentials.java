package io.invoiceharvester.edgegrid;

import java.util.List;

/** One .edgerc section. toString never shows the tokens or the secret. */
public record EdgeGridCredentials(String host, String clientToken, String clientSecret, String accessToken,
                                  int maxBody, List<String> headersToSign) {

    public static final int DEFAULT_MAX_BODY = 131072;

    /** The three secret values, for scanning output for leaks. */
    public List<String> secrets() {
        return List.of(clientToken, clientSecret, accessToken);
    }

    @Override
    public String toString() {
        return "EdgeGridCredentials[host=" + host + ", tokens=(hidden)]";
    }
}
