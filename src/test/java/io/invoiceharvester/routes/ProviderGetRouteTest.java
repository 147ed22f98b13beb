package io.invoiceharvester.routes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.invoiceharvester.http.ApiClientConfigurer;
import io.invoiceharvester.http.HostBoundInterceptor;
import io.invoiceharvester.http.Outbound;
import io.invoiceharvester.http.ProviderRequest;
import io.invoiceharvester.model.ExchangeProperties;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.hc.core5.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * routes/provider-get.camel.yaml on its own, with test credentials against WireMock: what an engineer
 * runs after editing the template. A caller's retry must see its redelivery counter survive the header
 * clean-up (a wrong exclude pattern once made a failing call retry forever).
 */
class ProviderGetRouteTest extends CamelMainTestSupport {

    static final WireMockServer API = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    static {
        API.start();
    }

    @AfterAll
    static void stopApi() {
        API.stop();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.setProperty("camel.main.routes-include-pattern", "file:routes/provider-get.camel.yaml,file:routes/error-handling.camel.yaml");
        p.setProperty("harvester.akamai.base-url", API.baseUrl());
        p.setProperty("harvester.fastly.base-url", API.baseUrl());
        p.setProperty("harvester.http.connect-timeout", "2000");
        p.setProperty("harvester.http.read-timeout", "2000");
        return p;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        // the harvester's own configurer (no automatic retry, host-bound), with a test credential
        HttpClientConfigurer credentials = new ApiClientConfigurer(new HostBoundInterceptor(API.baseUrl()) {
            @Override
            protected void authorize(HttpRequest request) {
                request.setHeader("X-Test-Credentials", "yes");
            }
        }, Outbound.direct(), io.invoiceharvester.http.ProviderConnections.create(Outbound.direct(), 2, java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(2)), null);
        registry.bind("akamaiSigning", credentials);
        registry.bind("fastlyAuth", credentials);
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

    @Test
    void aCallCarriesOnlyItsOwnHeadersAndCredentials() {
        API.resetAll();
        API.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));

        Exchange done = template.send("direct:caller", e -> e.setProperty(ExchangeProperties.REQUEST,
                ProviderRequest.json(API.baseUrl() + "/invoicing-api/v4/invoices?month=2025-01")));

        assertNull(done.getException());
        assertEquals("[]", done.getMessage().getBody(String.class));
        API.verify(1, getRequestedFor(urlPathEqualTo("/invoicing-api/v4/invoices"))
                .withQueryParam("month", equalTo("2025-01"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("X-Test-Credentials", equalTo("yes"))
                .withHeader("X-Left-Over", absent()));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost counter retries forever
    void aCallersRetryKeepsCountingItsAttempts() {
        API.resetAll();
        API.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withStatus(503)));

        Exchange done = template.send("direct:caller", e -> e.setProperty(ExchangeProperties.REQUEST,
                ProviderRequest.json(API.baseUrl() + "/invoicing-api/v4/invoices?month=2025-01")));

        assertInstanceOf(HttpOperationFailedException.class, done.getException());
        API.verify(3, getRequestedFor(urlPathEqualTo("/invoicing-api/v4/invoices"))); // the first attempt and two retries
    }

    @Test
    void theEstimateTakes404AsAnAnswer() {
        API.resetAll();
        API.stubFor(get(urlPathEqualTo("/billing/v3/invoices/month-to-date")).willReturn(aResponse().withStatus(404)));

        Exchange done = template.send("direct:fastly-get-estimate", e -> e.setProperty(ExchangeProperties.REQUEST,
                ProviderRequest.json(API.baseUrl() + "/billing/v3/invoices/month-to-date")));

        assertNull(done.getException());
        assertEquals(404, done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
    }
}
