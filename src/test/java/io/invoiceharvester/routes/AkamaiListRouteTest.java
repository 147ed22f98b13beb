package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.http.ProviderRequest;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/** routes/akamai-list.camel.yaml: one list call of an account and month, its answer parsed into the files to fetch. */
class AkamaiListRouteTest extends RouteFileTest {

    @Override
    protected List<String> routeFiles() {
        return List.of("akamai-list.camel.yaml");
    }

    @Override
    protected String mockedAndSkipped() {
        return "direct:(akamai-get|pick-new-files)";
    }

    @Test
    void theListAnswerBecomesTheFilesToFetch() throws Exception {
        String fixture = new String(TestHarvest.resource("/fixtures/akamai/list-invoices.json"), StandardCharsets.UTF_8);
        MockEndpoint api = getMockEndpoint("mock:direct:akamai-get");
        api.whenAnyExchangeReceived(e -> e.getMessage().setBody(fixture));
        MockEndpoint fetch = getMockEndpoint("mock:direct:pick-new-files");
        fetch.expectedMessageCount(1);
        RunState run = run("2021-01");

        Exchange done = template.send("direct:akamai-list-invoices", e -> {
            e.setProperty(ExchangeProperties.RUN, run);
            e.setProperty(ExchangeProperties.ITEM, new Listing("akamai", "2021-01", "1-ABC:1-DEF"));
        });

        assertNull(done.getException());
        MockEndpoint.assertIsSatisfied(api, fetch);
        String uri = api.getReceivedExchanges().get(0).getProperty(ExchangeProperties.REQUEST, ProviderRequest.class).uri();
        assertTrue(uri.contains("month=2021-01") && uri.contains("accountSwitchKey=1-ABC:1-DEF"), uri);
        @SuppressWarnings("unchecked")
        List<ListedFile> files = fetch.getReceivedExchanges().get(0).getMessage().getBody(List.class);
        assertEquals(fixture.split("\"fileLink\"").length - 1, files.size(), "every listed file");
        assertEquals("C-0N7RAC7", files.get(0).getContractId());
        assertEquals(files.size(), run.getFilesListed());
    }
}
