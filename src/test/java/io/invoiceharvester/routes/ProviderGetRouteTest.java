package io.invoiceharvester.routes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.http.ProviderRequest;
import io.invoiceharvester.model.ExchangeProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * routes/provider-get.camel.yaml, the one provider call, with the harvester's credentials (EdgeGrid, Fastly-Key)
 * against WireMock: what an engineer runs after editing the template. A caller's retry must see its redelivery
 * counter survive the header clean-up (a wrong exclude pattern once made a failing call retry forever).
 */
class ProviderGetRouteTest extends RouteFileTest {

    static final String LIST = "/invoicing-api/v4/invoices";

    @Override
    protected List<String> routeFiles() {
        return List.of("provider-get.camel.yaml");
    }

    @Override
    protected void settings(TestHarvest harvest) {
        try {
            harvest.withFastly();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // like the harvester's own retry rule, it counts attempts in the redelivery header
                onException(Exception.class).retryWhile(simple("${header.CamelRedeliveryCounter} < 3")).redeliveryDelay(0);
                from("direct:caller").routeId("test-caller")
                        .setHeader("X-Left-Over", constant("from an earlier step"))
                        .to("direct:akamai-get")
                        .convertBodyTo(String.class);
            }
        };
    }

    private Exchange call(String endpoint, String path) {
        return template.send(endpoint, e -> e.setProperty(ExchangeProperties.REQUEST, ProviderRequest.json(harvest().api.baseUrl() + path)));
    }

    @Test
    void aCallCarriesOnlyItsOwnHeadersAndCredentials() {
        harvest().api.stubFor(get(urlPathEqualTo(LIST))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));

        Exchange done = call("direct:caller", LIST + "?month=2025-01");

        assertNull(done.getException());
        assertEquals("[]", done.getMessage().getBody(String.class));
        harvest().api.verify(1, getRequestedFor(urlPathEqualTo(LIST))
                .withQueryParam("month", equalTo("2025-01"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("Authorization", matching("EG1-HMAC-SHA256 .*"))
                .withHeader("X-Left-Over", absent()));
        harvest().assertEveryRequestValidlySigned();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost counter retries forever
    void aCallersRetryKeepsCountingItsAttempts() {
        harvest().api.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(503)));

        Exchange done = call("direct:caller", LIST + "?month=2025-01");

        assertInstanceOf(HttpOperationFailedException.class, done.getException());
        harvest().api.verify(3, getRequestedFor(urlPathEqualTo(LIST))); // the first attempt and two retries
    }

    @Test
    void theEstimateTakes404AsAnAnswer() {
        String estimate = "/billing/v3/invoices/month-to-date";
        harvest().api.stubFor(get(urlPathEqualTo(estimate)).willReturn(aResponse().withStatus(404)));

        Exchange done = call("direct:fastly-get-estimate", estimate);

        assertNull(done.getException());
        assertEquals(404, done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        harvest().api.verify(1, getRequestedFor(urlPathEqualTo(estimate)).withHeader("Fastly-Key", equalTo("test-fastly-token")));
    }
}
