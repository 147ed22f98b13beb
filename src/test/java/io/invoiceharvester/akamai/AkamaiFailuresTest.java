package io.invoiceharvester.akamai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.RunState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Akamai API failing: refused credentials and accounts, malformed lists, rate limits, server errors, timeouts
 * and resets, retried or reported.
 */
class AkamaiFailuresTest extends AkamaiTestSupport {

    @Test
    void unauthorizedIsReportedWithTitleDetailAndRequestIdAndExitCode2() throws Exception {
        h.api.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/problem+json")
                .withBody(TestHarvest.resource("/fixtures/akamai/problem-401.json"))));

        RunState report = h.run("2021-01", "2021-02");

        assertEquals(2, report.exitCode());
        assertEquals(2, report.getFailures().size());
        String message = report.getFailures().get(0).message();
        assertTrue(message.contains("Not authorized") && message.contains("The signature does not match")
                && message.contains("requestId 933ed8a4"), message);
        assertEquals(2, h.requestsTo(LIST), "a 401 is not retried");
    }

    @Test
    void aForbiddenAccountNamesTheIncidentAndOtherAccountsStillRun() throws Exception {
        h.set("harvester.akamai.account-switch-keys", "1-AAA:1-DENIED," + SWITCH_KEY);
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("accountSwitchKey", equalTo("1-AAA:1-DENIED"))
                .willReturn(aResponse().withStatus(403).withBody(TestHarvest.resource("/fixtures/akamai/problem-403.json"))));
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("accountSwitchKey", equalTo(SWITCH_KEY))
                .willReturn(aResponse().withStatus(204)));

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode(), "one account worked: not a credential error of the whole run");
        assertEquals(1, report.getFailures().size());
        assertTrue(report.getFailures().get(0).message().contains("incidentId c7b6d7be-9268-4410-a031-cc0d013ce5c3"));
        assertTrue(report.getFailures().get(0).item().contains("1-AAA:1-DENIED"));
    }

    @Test
    void aMalformedListNamesAccountAndMonthAndOtherMonthsGoOn() throws Exception {
        stubList("2021-01", "{\"invoices\": []}".getBytes(StandardCharsets.UTF_8));
        stubList("2021-02", TestHarvest.resource(TestHarvest.FIXTURE_LIST));
        stubFixtureFiles();

        RunState report = h.run("2021-01", "2021-02");

        assertEquals(1, report.exitCode());
        assertEquals(1, report.getFailures().size());
        RunState.Failure f = report.getFailures().get(0);
        assertTrue(f.message().contains("2021-01") && f.message().contains("own account")
                && f.message().contains("expected a JSON array"), f.message());
        assertEquals(4, report.getFilesStored(), "2021-02 was harvested");
    }

    @Test
    void rateLimitWaitsCountAgainstTheRequestsMaxWait() throws Exception {
        h.set("harvester.retry.max-wait", "PT2S").set("harvester.retry.max-attempts", "10");
        h.api.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        // 1 s asked each time: the first wait takes 1 s, the second what is left of the 2 s, then no more
        assertEquals(3, h.requests().size(), "waits, asked or backoff, add up to harvester.retry.max-wait");
    }

    @Test
    void a429WaitsUntilTheBodysNextRequestTimeAndItsDetailsReachTheReport() throws Exception {
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("month", equalTo("2021-01")).inScenario("limited")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(tooManyRequests()).willSetStateTo("open"));
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("month", equalTo("2021-01")).inScenario("limited")
                .whenScenarioStateIs("open").willReturn(aResponse().withStatus(204)));
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("month", equalTo("2021-02")).willReturn(tooManyRequests()));
        h.set("harvester.retry.max-attempts", "2");

        RunState report = h.run("2021-01", "2021-02");

        List<LoggedRequest> january = h.requests().stream().filter(r -> r.getUrl().contains("month=2021-01")).toList();
        assertEquals(2, january.size());
        long waited = january.get(1).getLoggedDate().getTime() - january.get(0).getLoggedDate().getTime();
        // rateLimitNextRequest has whole seconds: at least 1 s, at most 2 s after the first request
        assertTrue(waited >= 1000, "the retry waited for rateLimitNextRequest: " + waited + " ms");
        assertEquals(1, report.getFailureCount(), report.getFailures().toString());
        String message = report.getFailures().get(0).message();
        assertTrue(message.contains("HTTP 429: Too Many Requests") && message.contains("10 requests a minute for this account"),
                message);
    }

    @Test
    void aServerErrorIsRetriedWithAFreshSignature() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "inv.pdf"));
        h.api.stubFor(get(urlPathEqualTo(link)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        h.api.stubFor(get(urlPathEqualTo(link)).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody(PDF)));

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        List<LoggedRequest> downloads = h.requests().stream().filter(r -> r.getUrl().startsWith(link)).toList();
        assertEquals(2, downloads.size());
        assertNotEquals(downloads.get(0).getHeader("Authorization"), downloads.get(1).getHeader("Authorization"));
        h.assertEveryRequestValidlySigned();
        assertArrayEquals(PDF, Files.readAllBytes(h.drop().resolve("akamai/A-1/2021-01/9000000001_v1_inv.pdf")));
    }

    @Test
    void retriesStopAtTheConfiguredNumberOfAttempts() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "inv.pdf"));
        h.api.stubFor(get(urlPathEqualTo(link)).willReturn(aResponse().withStatus(500)
                .withBody(TestHarvest.resource("/fixtures/akamai/problem-500.json"))));
        h.set("harvester.retry.max-attempts", "3");

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        assertEquals(3, h.requestsTo(link));
        assertTrue(report.getFailures().get(0).message().contains("incidentId 82ea2b60-a0c8-425f-9300-85bb3185cdf2"));
        assertEquals(0, h.count("SELECT COUNT(*) FROM harvested_file"), "a failed file is not recorded: the next run tries again");
    }

    @Test
    void aResponseSlowerThanTheReadTimeoutIsRetriedThenReported() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "slow.pdf"));
        h.api.stubFor(get(urlPathEqualTo(link)).willReturn(aResponse().withBody(PDF).withFixedDelay(3000)));
        h.set("harvester.http.read-timeout", "300").set("harvester.retry.max-attempts", "2");

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        assertEquals(2, h.requestsTo(link), "the timed-out request was tried again");
        assertTrue(report.getFailures().get(0).message().toLowerCase().contains("timeout")
                || report.getFailures().get(0).message().toLowerCase().contains("timed out"), report.getFailures().toString());
    }

    @Test
    void aConnectionResetMidDownloadIsRetriedAndTheFileArrivesWhole() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "inv.pdf"));
        h.api.stubFor(get(urlPathEqualTo(link)).inScenario("reset").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.RANDOM_DATA_THEN_CLOSE))
                .willSetStateTo("ok"));
        h.api.stubFor(get(urlPathEqualTo(link)).inScenario("reset").whenScenarioStateIs("ok")
                .willReturn(aResponse().withBody(PDF)));

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        assertEquals(2, h.requestsTo(link));
        assertArrayEquals(PDF, Files.readAllBytes(h.drop().resolve("akamai/A-1/2021-01/9000000001_v1_inv.pdf")));
    }

    /**
     * A download that cannot be saved (its temporary folder cannot be made: here a file stands where it
     * goes) fails before its body is read: the attempt must give its request slot back, or with one slot
     * the retry waits for it forever.
     */
    @Test
    void aDownloadThatCannotBeSavedGivesItsRequestSlotBackOnEveryAttempt() throws Exception {
        stubList("2021-01", pdfList("/invoicing-api/v4/contracts/C-1/invoices/9000000001/download", 1, "a.pdf", "b.pdf"));
        stubFile(C1_LINKS, "REGULAR", "application/pdf", PDF);
        h.set("harvester.concurrency", "1").set("harvester.retry.max-attempts", "3");
        Files.createDirectories(h.out());
        Files.writeString(h.out().resolve(".tmp"), "not a folder");

        RunState report = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> h.run("2021-01"), "the run ends: no attempt keeps its slot");

        assertEquals(1, report.exitCode());
        assertEquals(2, report.getFailureCount(), report.getFailures().toString());
        assertEquals(6, h.requestsTo(TestHarvest.DOWNLOADS), "three attempts of each file, each with a slot of its own");
    }
}
