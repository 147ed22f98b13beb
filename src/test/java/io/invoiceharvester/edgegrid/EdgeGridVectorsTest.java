package io.invoiceharvester.edgegrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.protocol.BasicHttpContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Akamai's official EdgeGrid vectors, signed through the project's own interceptor (the code every
 * harvest request goes through), with the vectors' fixed timestamp and nonce.
 */
class EdgeGridVectorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode read(String name) throws Exception {
        try (InputStream in = EdgeGridVectorsTest.class.getResourceAsStream("/edgegrid/" + name)) {
            return JSON.readTree(in);
        }
    }

    static EdgeGridCredentials credentials(JsonNode data) {
        List<String> headers = new ArrayList<>();
        data.get("headers_to_sign").forEach(h -> headers.add(h.asText()));
        return new EdgeGridCredentials(URI.create(data.get("base_url").asText()).getHost(), data.get("client_token").asText(),
                data.get("client_secret").asText(), data.get("access_token").asText(), data.get("max_body").asInt(), headers);
    }

    static Stream<Arguments> passingCases() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : read("edgegrid-testcases.json")) {
            if (!c.has("failsWithMessage")) {
                out.add(Arguments.of(c.get("testName").asText(), c));
            }
        }
        return out.stream();
    }

    @Test
    void thereAreFourteenPassingCases() throws Exception {
        assertEquals(14, passingCases().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passingCases")
    void interceptorReproducesTheOfficialSignature(String name, JsonNode testCase) throws Exception {
        JsonNode data = read("edgegrid-testdata.json");
        EdgeGridCredentials creds = credentials(data);
        RequestSigner signer = new RequestSigner(creds,
                new FixedTimeSigner(data.get("timestamp").asText(), data.get("nonce").asText()));
        EdgeGridInterceptor interceptor = new EdgeGridInterceptor(signer, "https://" + creds.host());

        JsonNode req = testCase.get("request");
        BasicClassicHttpRequest request = new BasicClassicHttpRequest(req.get("method").asText(),
                URI.create("https://" + creds.host() + req.get("path").asText()));
        for (JsonNode header : req.path("headers")) {
            header.fields().forEachRemaining(h -> request.addHeader(h.getKey(), h.getValue().asText()));
        }
        if (req.has("data")) {
            request.setEntity(new StringEntity(req.get("data").asText(), ContentType.TEXT_PLAIN));
        }
        interceptor.process(request, request.getEntity(), new BasicHttpContext());

        assertEquals(testCase.get("expectedAuthorization").asText(), request.getFirstHeader("Authorization").getValue());
    }

    @Test
    void verifierAcceptsTheVectorSignatureAndRejectsATamperedQuery() throws Exception {
        JsonNode data = read("edgegrid-testdata.json");
        SignatureVerifier verifier = new SignatureVerifier(credentials(data), null);
        String auth = "EG1-HMAC-SHA256 client_token=akab-client-token-xxx-xxxxxxxxxxxxxxxx;access_token=akab-access-token-xxx-xxxxxxxxxxxxxxxx;"
                + "timestamp=20140321T19:34:21+0000;nonce=nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx;signature=hKDH1UlnQySSHjvIcZpDMbQHihTQ0XyVAKZaApabdeA=";
        assertNull(verifier.problem("GET", "/testapi/v1/t1?p1=1&p2=2", java.util.Map.of(), auth));
        assertEquals("The signature does not match", verifier.problem("GET", "/testapi/v1/t1?p1=1&p2=3", java.util.Map.of(), auth));
    }

    @Test
    void aForeignHostIsRefusedBeforeSigning() {
        EdgeGridCredentials creds = new EdgeGridCredentials("api.example", "ct", "c2VjcmV0", "at", 131072, List.of());
        EdgeGridInterceptor interceptor = new EdgeGridInterceptor(new RequestSigner(creds), "https://api.example");
        BasicClassicHttpRequest request = new BasicClassicHttpRequest("GET", URI.create("https://elsewhere.example/x"));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(io.invoiceharvester.http.HostBoundInterceptor.ForeignHostException.class,
                () -> interceptor.process(request, null, new BasicHttpContext()));
        assertTrue(e.getMessage().contains("elsewhere.example"));
        assertNull(request.getFirstHeader("Authorization"));
    }

    @Test
    void aPercentEscapedQueryIsRefusedBecauseItWouldSignDifferently() {
        EdgeGridCredentials creds = new EdgeGridCredentials("api.example", "ct", "c2VjcmV0", "at", 131072, List.of());
        RequestSigner signer = new RequestSigner(creds);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> signer.authorization("GET", "/x?accountSwitchKey=1-5C0YLB%3A1-8BYUX", java.util.Map.of(), null));
        assertTrue(signer.authorization("GET", "/x?accountSwitchKey=1-5C0YLB:1-8BYUX", java.util.Map.of(), null)
                .startsWith("EG1-HMAC-SHA256 client_token=ct;access_token=at;"));
    }
}
