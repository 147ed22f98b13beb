package io.invoiceharvester.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.invoiceharvester.TestHarvest.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.Harvester;
import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.model.RunState;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator watching the service over Jolokia (Hawtio, docs/operations.md's curl examples) sees of the routes:
 * the exchanges in flight, how each run ended at route level and in RunProgress until the next run ends, and the
 * provider-call template's routes with descriptions and step ids of their own.
 */
class WatchingRoutesTest extends HarvestTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CAMEL = "org.apache.camel:context=invoice-harvester,";
    final HttpClient http = HttpClient.newHttpClient();
    int port;

    @BeforeEach
    void setUp() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        h.set("harvester.management.port", Integer.toString(port)).set("harvester.schedule.cron", "0 0 0 1 1 ? 2099")
                .set("harvester.retry.max-attempts", "1");
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
    }

    private JsonNode jolokia(String request) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/jolokia/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(r.body());
        assertEquals(200, answer.path("status").asInt(), request + " -> " + answer);
        return answer.path("value");
    }

    private JsonNode read(String mbean, String attribute) throws Exception {
        return jolokia("{\"type\":\"read\",\"mbean\":\"" + mbean.replace("\"", "\\\"") + "\",\"attribute\":\"" + attribute + "\"}");
    }

    private static RunRequest january() {
        return new RunRequest("test", List.of(YearMonth.of(2021, 1)), List.of("akamai"));
    }

    @Test
    void theExchangesInFlightAreListed() throws Exception {
        h.api.stubFor(get(urlPathEqualTo(TestHarvest.INVOICE_LINK)).withQueryParam("sourceType", equalTo("REGULAR"))
                .withHeader("Accept", equalTo("application/pdf")).willReturn(aResponse().withHeader("Content-Type", "application/pdf").withBody("%PDF-1.4\n%%EOF\n").withFixedDelay(4000)));
        try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
            service.start();
            CompletableFuture<RunState> run = CompletableFuture.supplyAsync(() -> service.harvest(january()));
            JsonNode[] inFlight = new JsonNode[1];
            until("exchanges in flight in the inflight repository's browse()", Duration.ofSeconds(20), () -> {
                inFlight[0] = jolokia("{\"type\":\"exec\",\"mbean\":\"" + CAMEL + "type=services,name=DefaultInflightRepository\","
                        + "\"operation\":\"browse()\"}");
                return inFlight[0].toString().contains("\"routeId\":\"akamai-get\"");
            });
            assertTrue(inFlight[0].toString().contains("\"routeId\":\"harvest-run\",\"fromRouteId\":\"harvest-run\",\"nodeId\":\"run-phases\""),
                    inFlight[0].toString());
            assertEquals(0, run.get().exitCode());
        }
    }

    @Test
    void aRunsOutcomeIsReadableAtRouteLevelAndKeptUntilTheNextRunEnds() throws Exception {
        h.api.stubFor(get(urlPathEqualTo(TestHarvest.CREDIT_MEMO_LINK)).withQueryParam("sourceType", equalTo("COMPUTE"))
                .withHeader("Accept", equalTo("text/csv")).willReturn(aResponse().withStatus(500)));
        String harvestRun = CAMEL + "type=routes,name=\"harvest-run\"";
        String progress = "io.invoiceharvester:type=RunProgress";
        try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
            service.start();
            RunState failed = service.harvest(january());
            assertEquals(1, failed.exitCode());
            assertEquals(1, read(harvestRun, "ExchangesFailed").asInt(), "the run failed, and its route says so");
            assertEquals(failed.getRunId(), read(progress, "LastRunId").asText());
            assertEquals(1, read(progress, "LastRunExitCode").asInt());
            assertEquals(1, read(progress, "LastRunFailureCount").asInt());
            assertTrue(read(progress, "LastRunFailures").toString().contains("invoice 8234567890"), read(progress, "LastRunFailures").toString());
            assertEquals(0, read(progress, "FilesDone").asInt(), "the figures of the run in flight are those of none");

            h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
            RunState next = service.harvest(january());
            assertEquals(0, next.exitCode());
            assertEquals(1, read(harvestRun, "ExchangesFailed").asInt());
            assertEquals(1, read(harvestRun, "ExchangesCompleted").asInt());
            assertEquals(next.getRunId(), read(progress, "LastRunId").asText());
            assertEquals(0, read(progress, "LastRunExitCode").asInt());
            assertTrue(read(progress, "LastRunSummary").asText().endsWith("0 failed -> exit code 0"), read(progress, "LastRunSummary").asText());
        }
    }

    @Test
    void aScheduledRunThatFailedIsAFailureTheScheduleRouteHandled() throws Exception {
        h.set("harvester.schedule.cron", "0/1 * * * * ?").set("harvester.schedule.months-back", "0");
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withStatus(500)));
        String schedule = CAMEL + "type=routes,name=\"harvest-schedule\"";
        try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
            service.start();
            until("a scheduled run that failed", Duration.ofSeconds(20), () -> read(schedule, "FailuresHandled").asInt() >= 1);
            assertEquals(0, read(schedule, "ExchangesFailed").asInt(), "handled by the schedule's route configuration: the next firing runs");
        }
    }

    /** docs/operations.md's curl examples, sent as written (the shell's quoting undone) after a run: each answers. */
    @Test
    void theOperationsPagesJolokiaExamplesAnswer() throws Exception {
        Matcher example = Pattern.compile("(?m)^curl -s -H 'Content-Type: application/json' http://127\\.0\\.0\\.1:9876/observe/jolokia/ -d '(.*)'$")
                .matcher(Files.readString(Path.of("docs/operations.md")));
        List<String> requests = new ArrayList<>();
        while (example.find()) {
            requests.add(example.group(1));
        }
        assertTrue(requests.size() >= 6, "the page's examples: " + requests);
        try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
            service.start();
            service.harvest(january());
            for (String request : requests) {
                JsonNode value = jolokia(request);
                assertFalse(value.isNull() || value.isMissingNode(), request + " -> " + value);
            }
        }
    }

    @Test
    void theProviderCallTemplatesRoutesHaveDescriptionsAndStepIdsOfTheirOwn() throws Exception {
        try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
            service.start();
            assertEquals("One GET to a provider's API with its credentials (routeTemplate provider-get)",
                    read(CAMEL + "type=routes,name=\"akamai-get\"", "Description").asText());
            assertEquals("akamai-get", read(CAMEL + "type=processors,name=\"akamai-get-provider-call\"", "RouteId").asText());
            assertEquals("fastly-get-estimate", read(CAMEL + "type=processors,name=\"fastly-get-estimate-provider-call\"", "RouteId").asText());
            JsonNode processors = jolokia("{\"type\":\"search\",\"mbean\":\"" + CAMEL + "type=processors,*\"}");
            assertTrue(processors.toString().contains("akamai-get-clear-headers"), processors.toString());
            assertFalse(java.util.regex.Pattern.compile("name=\\\\\"route-[0-9]").matcher(processors.toString()).find(),
                    "no step is named by its position");
        }
    }
}
