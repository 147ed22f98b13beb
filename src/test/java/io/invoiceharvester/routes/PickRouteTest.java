package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.Invoice;
import io.invoiceharvester.model.InvoiceFile;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.DeliveryLog;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/** routes/pick.camel.yaml: of a listing's files, only the wanted ones not stored before go to their provider's harvest route. */
class PickRouteTest extends RouteFileTest {

    @Override
    protected List<String> routeFiles() {
        return List.of("pick.camel.yaml");
    }

    @Override
    protected String mockedAndSkipped() {
        return "direct:(akamai-harvest-file|fastly-harvest-invoice)";
    }

    @Override
    protected void settings(TestHarvest harvest) {
        harvest.set("harvester.akamai.content-types", "application/pdf");
    }

    @Test
    void onlyWantedNewFilesAreDownloaded() throws Exception {
        RunState run = run("2025-01");
        ListedFile delivered = RouteFileTest.akamaiFile("2025-01", "9001", "application/pdf", "old.pdf");
        delivered.setDownloaded(Path.of("old.pdf.part"), 10, "0".repeat(64));
        delivered.setStored(Path.of("archive/old.pdf"));
        bean("deliveryLog", DeliveryLog.class).recordStored(delivered, run);
        ListedFile fresh = RouteFileTest.akamaiFile("2025-01", "9002", "application/pdf", "new.pdf");
        ListedFile unwanted = RouteFileTest.akamaiFile("2025-01", "9002", "text/csv", "new.csv");
        MockEndpoint akamai = getMockEndpoint("mock:direct:akamai-harvest-file");
        MockEndpoint fastly = getMockEndpoint("mock:direct:fastly-harvest-invoice");
        akamai.expectedBodiesReceived(fresh);
        fastly.expectedMessageCount(0);

        Exchange done = template.send("direct:pick-new-files", e -> {
            e.setProperty(ExchangeProperties.RUN, run);
            e.getIn().setBody(List.of(RouteFileTest.akamaiFile("2025-01", "9001", "application/pdf", "old.pdf"), fresh, unwanted));
        });

        assertNull(done.getException());
        MockEndpoint.assertIsSatisfied(akamai, fastly);
        assertEquals(fresh, akamai.getReceivedExchanges().get(0).getProperty(ExchangeProperties.ITEM), "the item is set for the download");
        assertEquals(1, run.getFilesSkipped());
    }

    /** The provider switch names both providers: a file of any other is reported, never sent to Fastly's download. */
    @Test
    void aFileOfAnUnknownProviderIsReportedNotDownloaded() throws Exception {
        RunState run = run("2025-01");
        ListedFile other = new ListedFile(new Listing("other", "2025-01", null), "2025-01",
                new Invoice("A-1", "C-1", "9003", "INVOICE", new BigDecimal("1.00"), "USD"),
                new InvoiceFile("x.pdf", "x.pdf", "1", "REGULAR", "application/pdf", "/x"));
        MockEndpoint akamai = getMockEndpoint("mock:direct:akamai-harvest-file");
        MockEndpoint fastly = getMockEndpoint("mock:direct:fastly-harvest-invoice");
        akamai.expectedMessageCount(0);
        fastly.expectedMessageCount(0);

        Exchange done = template.send("direct:pick-new-files", e -> {
            e.setProperty(ExchangeProperties.RUN, run);
            e.getIn().setBody(List.of(other));
        });

        assertNull(done.getException());
        MockEndpoint.assertIsSatisfied(akamai, fastly);
        assertEquals(1, run.getFailureCount());
        assertTrue(run.getFailures().get(0).message().contains("no such provider: other"), run.getFailures().toString());
    }
}
