package io.invoiceharvester.run;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.model.RunState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Invariant 10, against a provider that never finishes: a run past its deadline ends as a run; a body
 * trickling in past the request deadline is cut off; a Fastly listing that pages for ever is stopped;
 * what a provider sends (an error body, a problem's fields, a header line) is read only up to a bound.
 */
class EveryWaitEndsTest extends HarvestTestSupport {

    static final Duration BOUND = Duration.ofSeconds(90);
    static final byte[] PDF = "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    static final String LINKS = "/invoicing-api/v4/contracts/C-1/invoices/\\d+/download";
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void setUp() throws Exception {
        h.set("harvester.retry.max-attempts", "2");
    }

    /** A list of one-PDF invoices 9000000001... of contract C-1. */
    private void listPdfs(int count) throws Exception {
        ArrayNode list = JSON.createArrayNode();
        for (long id = 9000000001L; id < 9000000001L + count; id++) {
            ObjectNode inv = list.addObject();
            inv.put("accountId", "A-1").put("contractId", "C-1").put("invoiceId", id).put("invoiceType", "INVOICE")
                    .put("invoiceTotal", 1.5).put("invoiceCurrency", "USD");
            inv.putArray("files").addObject().put("contentType", "application/pdf").put("fileName", id + ".pdf")
                    .put("fileVersion", 1).put("sourceType", "REGULAR")
                    .put("fileLink", "/invoicing-api/v4/contracts/C-1/invoices/" + id + "/download");
        }
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withBody(JSON.writeValueAsBytes(list))));
    }

    @Test
    void aRunPastItsDeadlineStopsFetchingCancelsWhatIsInFlightAndEndsAsARun() throws Exception {
        listPdfs(3);
        h.api.stubFor(get(urlPathMatching(LINKS)).willReturn(aResponse().withBody(PDF).withFixedDelay(30_000)));
        h.set("harvester.run.max-duration", "PT3S").set("harvester.http.read-timeout", "60000").set("harvester.mail.when", "always");

        long start = System.nanoTime();
        RunState run = assertTimeoutPreemptively(BOUND, () -> h.run("2021-01"));

        assertTrue(System.nanoTime() - start < Duration.ofSeconds(25).toNanos(), "ended soon after its deadline, not after the"
                + " 30 s the provider took");
        assertEquals(1, run.exitCode());
        assertTrue(run.getFailures().toString().contains("harvester.run.max-duration (PT3S)"), run.getFailures().toString());
        assertEquals(1, h.count("SELECT COUNT(*) FROM harvest_run WHERE finished_at IS NOT NULL AND exit_code = 1"));
        assertEquals(0, h.count("SELECT COUNT(*) FROM run_lock"), "the lock is released");
        assertEquals(1, h.outbox().size(), "the summary is written");
        assertEquals(3, h.requestsTo("/invoicing-api/v4/contracts/"), "no attempt after the deadline");
    }

    @Test
    void aBodyTricklingInPastTheRequestDeadlineIsCutOffAndNotRetried() throws Exception {
        listPdfs(1);
        // 20 chunks over 40 s: every read well within the read timeout, the body never within the deadline
        h.api.stubFor(get(urlPathMatching(LINKS)).willReturn(aResponse().withBody(new byte[4000]).withChunkedDribbleDelay(20, 40_000)));
        h.set("harvester.http.request-deadline", "PT2S").set("harvester.http.read-timeout", "10000");

        RunState run = assertTimeoutPreemptively(BOUND, () -> h.run("2021-01"));

        assertEquals(1, run.exitCode());
        assertTrue(run.getFailures().toString().contains("harvester.http.request-deadline (PT2S)"), run.getFailures().toString());
        assertEquals(1, h.requestsTo("/invoicing-api/v4/contracts/"), "not retried: it would trickle again");
    }

    @Test
    void aFastlyListingThatPagesForEverIsStopped() throws Exception {
        h.set("harvester.akamai.enabled", "false").set("harvester.fastly.enabled", "true")
                .set("harvester.fastly.base-url", h.api.baseUrl()).set("harvester.fastly.api-token", "token-1");
        // a fresh cursor and no data on every page; 2024-10 says it has 3 invoices, 2024-11 says nothing
        h.api.stubFor(get(urlPathEqualTo("/billing/v3/invoices")).withQueryParam("billing_start_date", equalTo("2024-09-30"))
                .willReturn(aResponse().withTransformers("response-template").withBody("{\"data\": [], \"meta\": {\"next_cursor\":"
                        + " \"{{randomValue length=16 type='ALPHANUMERIC'}}\", \"limit\": 200, \"total\": 3}}")));
        h.api.stubFor(get(urlPathEqualTo("/billing/v3/invoices")).withQueryParam("billing_start_date", equalTo("2024-10-31"))
                .willReturn(aResponse().withTransformers("response-template").withBody("{\"data\": [], \"meta\": {\"next_cursor\":"
                        + " \"{{randomValue length=16 type='ALPHANUMERIC'}}\"}}")));

        RunState run = assertTimeoutPreemptively(BOUND, () -> h.run("2024-10", "2024-11"));

        assertEquals(1, run.exitCode());
        String failures = run.getFailures().toString();
        assertTrue(failures.contains("more than its meta.total (3 invoices, 200 a page) allows"), failures);
        assertTrue(failures.contains("after 1000 pages, the most a listing is followed for"), failures);
        assertEquals(4, h.requests().stream().filter(r -> r.getUrl().contains("billing_start_date=2024-09-30")).count());
        assertEquals(1000, h.requests().stream().filter(r -> r.getUrl().contains("billing_start_date=2024-10-31")).count());
    }

    @Test
    void aHugeErrorBodyAndItsProblemFieldsAreReadOnlyUpToTheirBounds() throws Exception {
        String title = "T".repeat(1024 * 1024);
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\": \"" + title + "\", \"detail\": \"" + "d".repeat(4000) + "\"}")));

        RunState run = assertTimeoutPreemptively(BOUND, () -> h.run("2021-01"));

        assertEquals(1, run.exitCode());
        String message = run.getFailures().get(0).message();
        assertTrue(message.startsWith("HTTP 500"), message);
        assertTrue(message.length() < 2500, "bounded, not a megabyte: " + message.length());
    }

    @Test
    void aHeaderLineLongerThanAnyProviderSendsIsRefusedNotReadIntoMemory() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                        out.write("HTTP/1.1 200 OK\r\nX-Padding: ".getBytes(StandardCharsets.US_ASCII));
                        byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                        for (int i = 0; i < 64; i++) { // 4 MiB of one header line, and more than the client reads
                            out.write(chunk);
                        }
                    } catch (IOException e) {
                        // the client hung up: what a bounded reader does
                    }
                }
            });
            answering.setDaemon(true);
            answering.start();
            h.set("harvester.akamai.base-url", "http://127.0.0.1:" + server.getLocalPort());

            RunState run = assertTimeoutPreemptively(BOUND, () -> h.run("2021-01"));

            assertEquals(1, run.exitCode());
            assertTrue(run.getFailures().toString().toLowerCase().contains("line length"), run.getFailures().toString());
        }
    }
}
