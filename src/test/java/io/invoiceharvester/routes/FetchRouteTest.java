package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.DeliveryLog;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/** routes/fetch.camel.yaml: of a listing's files, only the wanted ones not delivered before go to their provider's download. */
class FetchRouteTest extends RouteFileTest {

    @Override
    protected List<String> routeFiles() {
        return List.of("fetch.camel.yaml");
    }

    @Override
    protected String mockedAndSkipped() {
        return "direct:(akamai|fastly)-download-file";
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
        bean("deliveryLog", DeliveryLog.class).recordDelivered(delivered, run);
        ListedFile fresh = RouteFileTest.akamaiFile("2025-01", "9002", "application/pdf", "new.pdf");
        ListedFile unwanted = RouteFileTest.akamaiFile("2025-01", "9002", "text/csv", "new.csv");
        MockEndpoint akamai = getMockEndpoint("mock:direct:akamai-download-file");
        MockEndpoint fastly = getMockEndpoint("mock:direct:fastly-download-file");
        akamai.expectedBodiesReceived(fresh);
        fastly.expectedMessageCount(0);

        Exchange done = template.send("direct:fetch-new-files", e -> {
            e.setProperty(ExchangeProperties.RUN, run);
            e.getIn().setBody(List.of(RouteFileTest.akamaiFile("2025-01", "9001", "application/pdf", "old.pdf"), fresh, unwanted));
        });

        assertNull(done.getException());
        MockEndpoint.assertIsSatisfied(akamai, fastly);
        assertEquals(fresh, akamai.getReceivedExchanges().get(0).getProperty(ExchangeProperties.ITEM), "the item is set for the download");
        assertEquals(1, run.getFilesSkipped());
    }
}
