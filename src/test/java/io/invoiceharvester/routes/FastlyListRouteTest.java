package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.http.ProviderRequest;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunState;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/** routes/fastly-list.camel.yaml: pages are followed by their cursor until it is empty; each page's invoices are fetched. */
class FastlyListRouteTest extends RouteFileTest {

    @Override
    protected List<String> routeFiles() {
        return List.of("fastly-list.camel.yaml");
    }

    @Override
    protected String mockedAndSkipped() {
        return "direct:(fastly-get|pick-new-files)";
    }

    @Test
    void everyPageIsListedAndItsInvoicesFetched() throws Exception {
        List<byte[]> pages = List.of(TestHarvest.resource("/fixtures/fastly/list-invoices-page1.json"),
                TestHarvest.resource("/fixtures/fastly/list-invoices-page2.json"));
        AtomicInteger page = new AtomicInteger();
        MockEndpoint api = getMockEndpoint("mock:direct:fastly-get");
        api.whenAnyExchangeReceived(e -> e.getMessage().setBody(new ByteArrayInputStream(pages.get(page.getAndIncrement()))));
        MockEndpoint fetch = getMockEndpoint("mock:direct:pick-new-files");
        fetch.expectedMessageCount(2);
        RunState run = run("2024-10");

        Exchange done = list(run);

        assertNull(done.getException());
        MockEndpoint.assertIsSatisfied(api, fetch);
        String second = api.getReceivedExchanges().get(1).getProperty(ExchangeProperties.REQUEST, ProviderRequest.class).uri();
        assertTrue(second.contains("cursor=eyJvZmZzZXQiOjJ9"), second);
        assertEquals(1, run.getFilesListed(), "October's invoice; September's and August's are their own months' listings'");
    }

    @Test
    void aCursorSeenTwiceStopsTheListingAsAFailure() throws Exception {
        byte[] first = TestHarvest.resource("/fixtures/fastly/list-invoices-page1.json");
        getMockEndpoint("mock:direct:fastly-get").whenAnyExchangeReceived(e -> e.getMessage().setBody(new ByteArrayInputStream(first)));
        RunState run = run("2024-10");

        Exchange done = list(run);

        assertNull(done.getException(), "handled: the run goes on");
        assertEquals(1, run.getFailureCount());
        assertEquals(2, getMockEndpoint("mock:direct:fastly-get").getReceivedCounter(), "no third page");
        assertInstanceOf(Listing.class, done.getProperty(ExchangeProperties.ITEM));
    }

    private Exchange list(RunState run) {
        return template.send("direct:fastly-list-invoices", e -> {
            e.setProperty(ExchangeProperties.RUN, run);
            e.setProperty(ExchangeProperties.ITEM, new Listing("fastly", "2024-10", null));
        });
    }
}
