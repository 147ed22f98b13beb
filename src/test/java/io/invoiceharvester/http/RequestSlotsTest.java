package io.invoiceharvester.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way a provider request ends gives its slot back, and every wait of it ends: a real HttpClient
 * with the harvester's connections and gate, against WireMock. One slot: a slot kept by mistake makes the
 * next request wait for ever (each test is bounded).
 */
class RequestSlotsTest {

    static final Duration BOUND = Duration.ofSeconds(30);

    WireMockServer api;
    RequestSlots slots;
    CloseableHttpClient client;

    @BeforeEach
    void start() {
        api = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        api.start();
        slots = new RequestSlots(1, Duration.ofSeconds(2));
        client = HttpClients.custom().disableAutomaticRetries()
                .setConnectionManager(ProviderConnections.create(Outbound.direct(), 1, Duration.ofSeconds(5), Duration.ofSeconds(20)))
                .addExecInterceptorBefore(ChainElement.PROTOCOL.name(), "request-slot", slots.gate()).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        slots.close();
        api.stop();
    }

    private ClassicHttpResponse send(String path) throws IOException {
        return client.executeOpen(null, new HttpGet(api.baseUrl() + path), null);
    }

    @Test
    void aBodyReadToItsEndOrClosedBeforeItGivesTheSlotBack() {
        api.stubFor(get(urlPathEqualTo("/small")).willReturn(aResponse().withBody("[1, 2, 3]\n")));
        api.stubFor(get(urlPathEqualTo("/big")).willReturn(aResponse().withBody(new byte[20 * 1024 * 1024])));
        assertTimeoutPreemptively(BOUND, () -> {
            try (ClassicHttpResponse r = send("/small"); InputStream in = r.getEntity().getContent()) {
                in.readAllBytes();
            }
            assertEquals(0, slots.inFlight());
            try (ClassicHttpResponse r = send("/big"); InputStream in = r.getEntity().getContent()) {
                assertEquals(1, slots.inFlight(), "held while the body is read");
                in.readNBytes(1024); // left long before its end: cut off, not drained
            }
            assertEquals(0, slots.inFlight());
            try (ClassicHttpResponse r = send("/small")) {
                // never read, just closed
            }
            assertEquals(0, slots.inFlight());
        });
    }

    @Test
    void aFailureBeforeTheResponseGivesTheSlotBackAndTheRetryGetsOne() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertTimeoutPreemptively(BOUND, () -> {
            for (int attempt = 0; attempt < 3; attempt++) {
                assertThrows(IOException.class, () -> client.executeOpen(null, new HttpGet("http://127.0.0.1:" + closed + "/x"), null));
                assertEquals(0, slots.inFlight(), "attempt " + attempt);
            }
        });
    }

    @Test
    void anErrorBodyIsReadUpToItsCapWhateverItsSize() {
        api.stubFor(get(urlPathEqualTo("/error")).willReturn(aResponse().withStatus(500).withBody(new byte[8 * 1024 * 1024])));
        assertTimeoutPreemptively(BOUND, () -> {
            try (ClassicHttpResponse r = send("/error"); InputStream in = r.getEntity().getContent()) {
                assertEquals(RequestSlots.ERROR_BODY_MAX_BYTES, in.readAllBytes().length);
            }
            assertEquals(0, slots.inFlight());
        });
    }

    @Test
    void aBodyTricklingInPastTheRequestDeadlineIsCutOff() {
        // 20 chunks over 20 s: each read comes well within the read timeout, the whole never within 2 s
        api.stubFor(get(urlPathEqualTo("/trickle")).willReturn(aResponse().withBody(new byte[2000]).withChunkedDribbleDelay(20, 20_000)));
        assertTimeoutPreemptively(BOUND, () -> {
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> {
                try (ClassicHttpResponse r = send("/trickle"); InputStream in = r.getEntity().getContent()) {
                    in.readAllBytes();
                }
            });
            assertTrue(e instanceof RequestSlots.DeadlineException && e.getMessage().contains("harvester.http.request-deadline"),
                    e.toString());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "cut off at the deadline");
            assertEquals(0, slots.inFlight());
        });
    }

    @Test
    void theRunsDeadlineEndsTheWaitForASlotAndCancelsRequestsInFlight() {
        slots.accept(Duration.ofSeconds(1));
        api.stubFor(get(urlPathEqualTo("/slow")).willReturn(aResponse().withBody("late").withFixedDelay(15_000)));
        assertTimeoutPreemptively(BOUND, () -> {
            Thread holder = new Thread(() -> {
                try (ClassicHttpResponse r = send("/slow")) {
                    r.getEntity().getContent().readAllBytes();
                } catch (IOException e) {
                    // cancelled at the run's deadline
                }
            });
            holder.start();
            Thread.sleep(200);
            assertEquals(1, slots.inFlight());
            // the only slot is taken: this one waits, until the run's deadline
            IOException waited = assertThrows(IOException.class, () -> send("/slow").close());
            assertTrue(waited.getMessage().contains("harvester.run.max-duration"), waited.getMessage());
            slots.cancelAll("the run passed its deadline");
            holder.join(5_000);
            assertEquals(0, slots.inFlight(), "the request in flight was cut off");
        });
    }
}
