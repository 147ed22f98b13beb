package io.invoiceharvester.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.RunState;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** quarantine list | discard | release: a file refused run after run gets a row, and an operator's decision. */
class QuarantineCommandTest extends HarvestTestSupport {

    private long badCsvRequests() {
        return h.requests().stream().filter(r -> r.getUrl().startsWith(TestHarvest.CREDIT_MEMO_LINK)
                && "COMPUTE".equals(r.queryParameter("sourceType").firstValue()) && "text/csv".equals(r.getHeader("Accept"))).count();
    }

    private String lastSummary() throws Exception {
        String summary = String.join("\n", h.outbox());
        h.clearOutbox();
        return summary;
    }

    @ParameterizedTest
    @EnumSource(TestHarvest.StateDb.class)
    void aDiscardedFileIsFetchedByNoRunAndToldOnceUntilReleased(TestHarvest.StateDb db) throws Exception {
        on(db);
        h.set("harvester.mail.when", "always");
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        String header = new String(TestHarvest.resource("/fixtures/akamai/invoice-download.csv"), StandardCharsets.UTF_8).split("\n")[0];
        h.api.stubFor(get(urlPathEqualTo(TestHarvest.CREDIT_MEMO_LINK)).withQueryParam("sourceType", equalTo("COMPUTE"))
                .withHeader("Accept", equalTo("text/csv")).willReturn(aResponse().withBody(header + "\nragged,row\n")));
        String cfg = h.configFile().toString();

        h.run("2021-01");
        h.run("2021-01");
        JsonNode listed = OperatorCommandsTest.cli("quarantine", "list", "--config", cfg, "--json").json();
        assertEquals(1, listed.size(), listed.toString());
        JsonNode entry = listed.get(0);
        assertEquals(2, entry.path("attempts").asInt(), "refused by two runs");
        assertTrue(entry.path("reason").asText().contains("row 2: 2 columns"), entry.toString());
        assertEquals(1, OperatorCommandsTest.cli("status", "--config", cfg, "--json").json().path("waiting")
                .path("quarantinedFiles").asInt());
        long id = entry.path("id").asLong();
        lastSummary();

        OperatorCommandsTest.Result discarded = OperatorCommandsTest.cli("quarantine", "discard", Long.toString(id), "--config", cfg,
                "--json");
        assertEquals(0, discarded.code(), discarded.err());
        assertEquals(id, discarded.json().path("id").asLong(), "JSON, as --json offers: " + discarded.out());
        assertEquals("discard", discarded.json().path("action").asText());
        long before = badCsvRequests();
        RunState afterDiscard = h.run("2021-01");
        assertEquals(before, badCsvRequests(), "a discarded file is not fetched");
        assertEquals(0, afterDiscard.exitCode(), afterDiscard.getFailures().toString());
        assertEquals(3, afterDiscard.getFilesSkipped(), "the discarded file is not counted as delivered");
        assertEquals(1, afterDiscard.getFilesDiscarded());
        String told = lastSummary();
        assertTrue(told.contains("discarded by an operator"), "the next summary tells it");
        assertTrue(told.contains("Operator notices:\r\n  * discarded by an operator") || told.contains("Operator notices:\n  * discarded"),
                "under a heading of its own: " + told);
        assertFalse(told.contains("Month-to-date estimates"), "not under the estimates: " + told);
        assertTrue(told.contains("3 already stored, 1 discarded from the quarantine, 0 failed"), told);
        h.run("2021-01");
        assertFalse(lastSummary().contains("discarded by an operator"), "once");

        assertEquals(0, OperatorCommandsTest.cli("quarantine", "release", Long.toString(id), "--config", cfg).code());
        h.run("2021-01");
        assertEquals(before + 1, badCsvRequests(), "released: fetched again");
        assertEquals(3, OperatorCommandsTest.cli("quarantine", "list", "--config", cfg, "--json").json().get(0).path("attempts").asInt());

        assertEquals(2, OperatorCommandsTest.cli("quarantine", "discard", "999", "--config", cfg).code());
        assertEquals(2, OperatorCommandsTest.cli("quarantine", "discard", "x", "--config", cfg).code());
    }
}
