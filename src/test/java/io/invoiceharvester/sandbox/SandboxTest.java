package io.invoiceharvester.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.edgegrid.EdgercReader;
import io.invoiceharvester.edgegrid.RequestSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox behaves like the API: signatures checked, 204 for an empty month, 403 for a foreign account. */
class SandboxTest {

    @TempDir
    Path dir;

    private HttpResponse<String> get(Sandbox sandbox, String target, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + target)).header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void signedRequestsAreServedAndBadSignaturesGetTheGatewayProblem() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0)) {
            Path edgerc = dir.resolve("edgerc");
            Files.writeString(edgerc, sandbox.edgercSection("s"));
            RequestSigner signer = new RequestSigner(EdgercReader.read(edgerc, "s"));
            String list = "/invoicing-api/v4/invoices?month=2025-01";

            HttpResponse<String> ok = get(sandbox, list, signer.authorization("GET", list, Map.of(), null));
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().contains("\"invoiceId\":9100000101"), ok.body());

            String signedForOtherMonth = signer.authorization("GET", "/invoicing-api/v4/invoices?month=2025-02", Map.of(), null);
            HttpResponse<String> tampered = get(sandbox, list, signedForOtherMonth);
            assertEquals(401, tampered.statusCode());
            assertEquals("application/problem+json", tampered.headers().firstValue("Content-Type").orElse(""));
            assertTrue(tampered.body().contains("\"detail\":\"The signature does not match\""), tampered.body());
            assertTrue(tampered.body().contains("\"requestId\""));

            assertEquals(401, get(sandbox, list, null).statusCode());

            String empty = "/invoicing-api/v4/invoices?month=2025-03";
            HttpResponse<String> none = get(sandbox, empty, signer.authorization("GET", empty, Map.of(), null));
            assertEquals(204, none.statusCode());

            String foreign = "/invoicing-api/v4/invoices?month=2025-01&accountSwitchKey=1-X:1-UNKNOWN";
            HttpResponse<String> denied = get(sandbox, foreign, signer.authorization("GET", foreign, Map.of(), null));
            assertEquals(403, denied.statusCode());
            assertTrue(denied.body().contains("incidentId"));
        }
    }
}
