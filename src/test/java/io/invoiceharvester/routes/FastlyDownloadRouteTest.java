package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.Invoice;
import io.invoiceharvester.model.InvoiceFile;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.DeliveryLog;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/** routes/fastly-download.camel.yaml: an invoice is versioned by its content; a body delivered before is not stored again. */
class FastlyDownloadRouteTest extends RouteFileTest {

    @Override
    protected List<String> routeFiles() {
        return List.of("fastly-download.camel.yaml");
    }

    @Override
    protected String mockedAndSkipped() {
        return "direct:(fastly-get|store-file)";
    }

    @Test
    void aNewBodyIsStoredAndTheSameBodyAgainIsNot() throws Exception {
        byte[] invoice = TestHarvest.resource("/fixtures/fastly/invoice-2222333.json");
        getMockEndpoint("mock:direct:fastly-get").whenAnyExchangeReceived(e -> {
            e.getMessage().setHeader(Exchange.CONTENT_LENGTH, invoice.length);
            e.getMessage().setBody(new ByteArrayInputStream(invoice));
        });
        MockEndpoint store = getMockEndpoint("mock:direct:store-file");
        store.expectedMessageCount(1);
        RunState run = run("2024-10");

        Exchange first = sendItem("direct:fastly-harvest-invoice", run, listed());
        assertNull(first.getException());
        store.assertIsSatisfied();
        ListedFile stored = store.getReceivedExchanges().get(0).getMessage().getBody(ListedFile.class);
        assertEquals(64, stored.getFileVersion().length(), "the version is the body's SHA-256");
        Path archived = Files.createDirectories(harvest().out().resolve("archive")).resolve("2222333.json");
        Files.move(stored.getDownloaded(), archived);
        stored.setStored(archived);
        bean("deliveryLog", DeliveryLog.class).recordStored(stored, run);

        Exchange again = sendItem("direct:fastly-harvest-invoice", run, listed());

        assertNull(again.getException());
        store.assertIsSatisfied(); // still the one
        assertEquals(1, run.getFilesSkipped());
        try (var left = Files.walk(harvest().out())) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "the known body's download is discarded");
        }
    }

    private static ListedFile listed() {
        ListedFile listed = new ListedFile(new Listing("fastly", "2024-10", null), "2024-10",
                new Invoice("x4xCwxxJxGCx123Rx5xTx", "-", "2222333", "INVOICE", new BigDecimal("3590.75"), "USD"),
                new InvoiceFile("invoice-2222333.json", "invoice-2222333.json", null, "BILLING_V3", "application/json", null));
        listed.setListFingerprint("0".repeat(64));
        return listed;
    }
}
