package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunState;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/** routes/akamai-download.camel.yaml: a download is saved, validated and stored; content that is not what it claims is quarantined. */
class AkamaiDownloadRouteTest extends RouteFileTest {

    static final byte[] PDF = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n".getBytes();

    @Override
    protected List<String> routeFiles() {
        return List.of("akamai-download.camel.yaml");
    }

    @Override
    protected String mockedAndSkipped() {
        return "direct:(akamai-get|store-file)";
    }

    @Test
    void aValidPdfGoesOnToBeStored() throws Exception {
        answer(PDF);
        MockEndpoint store = getMockEndpoint("mock:direct:store-file");
        store.expectedMessageCount(1);
        ListedFile pdf = RouteFileTest.akamaiFile("2025-01", "9001", "application/pdf", "invoice.pdf");

        Exchange done = sendItem("direct:akamai-harvest-file", run("2025-01"), pdf);

        assertNull(done.getException());
        store.assertIsSatisfied();
        ListedFile stored = store.getReceivedExchanges().get(0).getMessage().getBody(ListedFile.class);
        assertArrayEquals(PDF, Files.readAllBytes(stored.getDownloaded()));
        assertEquals(PDF.length, stored.getBytes());
    }

    @Test
    void htmlClaimingToBeAPdfIsQuarantinedAndReported() throws Exception {
        answer("<html>maintenance</html>".getBytes());
        MockEndpoint store = getMockEndpoint("mock:direct:store-file");
        store.expectedMessageCount(0);
        RunState run = run("2025-01");

        Exchange done = sendItem("direct:akamai-harvest-file", run, RouteFileTest.akamaiFile("2025-01", "9001", "application/pdf", "invoice.pdf"));

        assertNull(done.getException(), "handled: the run goes on");
        store.assertIsSatisfied();
        assertEquals(1, run.getFailureCount());
        try (var quarantined = Files.walk(harvest().out().resolve("quarantine"))) {
            assertTrue(quarantined.anyMatch(f -> Files.isRegularFile(f) && f.toString().contains("invoice.pdf")));
        }
    }

    private void answer(byte[] body) {
        getMockEndpoint("mock:direct:akamai-get").whenAnyExchangeReceived(e -> {
            e.getMessage().setHeader(Exchange.CONTENT_LENGTH, body.length);
            e.getMessage().setBody(new ByteArrayInputStream(body));
        });
    }
}
