package io.invoiceharvester.run;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest.StateDb;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.RunState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 7: whatever step of a run fails, the run ends as a run: finished in the state database, its
 * summary written (naming each failure with its own item), its lock released. On H2 and PostgreSQL.
 */
class RunEndsTest extends HarvestTestSupport {

    static final byte[] PDF = "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    private TestHarvest harvest(StateDb db) throws Exception {
        on(db);
        h.stubAkamaiFixtures("2021-01", PDF);
        return h;
    }

    /** The run is finished with this exit code, its summary says what it must, and nobody holds the lock. */
    private void assertEnded(RunState run, int exitCode, String... summarySays) throws Exception {
        assertEquals(exitCode, run.exitCode(), run.getFailures().toString());
        assertEquals(1, h.count("SELECT COUNT(*) FROM harvest_run WHERE run_id = '" + run.getRunId()
                + "' AND finished_at IS NOT NULL AND exit_code = " + exitCode), "the run is finished in the state database");
        assertEquals(0, h.count("SELECT COUNT(*) FROM run_lock"), "the run lock is released");
        List<String> summaries = h.outbox();
        assertEquals(1, summaries.size(), "one summary");
        for (String expected : summarySays) {
            assertTrue(summaries.get(0).contains(expected), "the summary says '" + expected + "': " + summaries.get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void monthToDateAnswering500StillEndsTheRunWithItsSummary(StateDb db) throws Exception {
        harvest(db).withFastly().set("harvester.fastly.month-to-date", "true").set("harvester.retry.max-attempts", "2");
        h.api.stubFor(get(urlPathEqualTo("/billing/v3/invoices/month-to-date")).willReturn(aResponse().withStatus(500)
                .withBody("{\"title\": \"Internal Server Error\", \"status\": \"500\"}")));

        RunState run = h.run("2021-01");

        assertEnded(run, 1, "Fetch Fastly's month-to-date estimate", "HTTP 500", "4 new files");
        assertEquals(1, run.getFailureCount(), run.getFailures().toString());
        assertEquals("Fetch Fastly's month-to-date estimate (kept apart from invoices)", run.getFailures().get(0).item(),
                "the failure names its own step, not an item of another");
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void monthToDateAnswering401StillEndsTheRunWithItsSummary(StateDb db) throws Exception {
        harvest(db).withFastly().set("harvester.fastly.month-to-date", "true");
        h.api.stubFor(get(urlPathEqualTo("/billing/v3/invoices/month-to-date")).willReturn(aResponse().withStatus(401)
                .withBody(TestHarvest.resource("/fixtures/fastly/error-401.json"))));

        RunState run = h.run("2021-01");

        assertEnded(run, 1, "Fetch Fastly's month-to-date estimate", "HTTP 401");
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aBrokenDropWithPendingPdfsStillEndsTheRunWithItsSummary(StateDb db) throws Exception {
        harvest(db);
        Files.createDirectories(h.drop());
        Files.writeString(h.drop().resolve("akamai"), "a file where the drop's folder belongs");

        RunState first = h.run("2021-01");
        assertEquals(1, first.exitCode(), "the drop failed");
        assertEquals(2, h.count("SELECT COUNT(*) FROM harvested_file WHERE dropped_at IS NULL AND content_type = 'application/pdf'"));
        h.clearOutbox();

        RunState second = h.run("2021-01");

        assertEnded(second, 1, "FAILURES (2)");
        assertEquals(2, second.getFailureCount(), "each pending PDF is reported: " + second.getFailures());
        assertTrue(second.getFailures().stream().allMatch(f -> f.item().contains("application/pdf")), second.getFailures().toString());
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aDatabaseErrorOnOneFileIsThatFilesFailureAndTheRunStillEnds(StateDb db) throws Exception {
        harvest(db).run("2021-02"); // the schema
        h.clearOutbox();
        if (db == StateDb.H2) {
            h.execute("CREATE TRIGGER refuse_one BEFORE INSERT ON harvested_file FOR EACH ROW CALL \""
                    + FailingInsert.class.getName() + "\"");
        } else {
            h.execute("CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN IF NEW.invoice_id = '" + FailingInsert.INVOICE
                    + "' THEN RAISE EXCEPTION 'the database refuses this row (test)'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
            h.execute("CREATE TRIGGER refuse_one BEFORE INSERT ON harvested_file FOR EACH ROW EXECUTE FUNCTION refuse_one()");
        }

        RunState run = h.run("2021-01");

        assertEnded(run, 1, "refuses this row", "2 new files");
        assertTrue(run.getFailures().stream().allMatch(f -> f.item().contains("invoice " + FailingInsert.INVOICE)),
                "the failure is that file's: " + run.getFailures());
        assertEquals(2, h.count("SELECT COUNT(*) FROM harvested_file WHERE billing_month = '2021-01'"),
                "the other invoice's files are recorded");
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aWholeStepFailingOnTheDatabaseStillEndsTheRunWithItsSummary(StateDb db) throws Exception {
        harvest(db).run("2021-02"); // the schema
        h.clearOutbox();
        h.execute("ALTER TABLE ledger_unmapped_reported RENAME TO ledger_unmapped_reported_gone");

        RunState run = h.run("2021-01");

        assertEnded(run, 1, "Report, once, archived CSV files no layout recognises", "4 new files",
                "the files that wait on a person could not be read");
    }
}
