package io.invoiceharvester.summary;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.TestHarvest.StateDb;
import io.invoiceharvester.run.RunReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 9: a harvester killed after its files are recorded but before its summary is written loses
 * no notification: the next run's summary reports those files (a run that finds such files has changes
 * to mail), and no later summary reports them again. On H2 and PostgreSQL.
 */
class SummaryAfterKillTest {

    static final String MONTH_TO_DATE = "/billing/v3/invoices/month-to-date";

    @TempDir
    Path dir;
    TestHarvest h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void filesRecordedByAKilledRunAreReportedByTheNextSummaryOnce(StateDb db) throws Exception {
        h = new TestHarvest(dir, db).withFastly();
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        h.set("harvester.fastly.month-to-date", "true");
        // the run's last step before its summary hangs, so the harvester can be killed right there
        h.api.stubFor(get(urlPathEqualTo(MONTH_TO_DATE)).willReturn(aResponse().withStatus(404).withFixedDelay(120_000)));

        Process once = new ProcessBuilder(TestHarvest.javaCommand("once", "--config", h.configFile().toString(), "--month", "2021-01"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (h.requestsTo(MONTH_TO_DATE) == 0 && once.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(once.isAlive(), Files.readString(dir.resolve("killed.log")));
        // H2 writes commits to its file within its WRITE_DELAY (500 ms): kill once the records are on disk
        Thread.sleep(1500);
        once.destroyForcibly(); // SIGKILL: no summary, no cleanup
        assertTrue(once.waitFor(30, TimeUnit.SECONDS));
        assertEquals(4, h.count("SELECT COUNT(*) FROM harvested_file WHERE summary_id IS NULL"), "recorded, not yet reported");
        assertTrue(h.outbox().isEmpty(), "the killed run wrote no summary");

        h.api.stubFor(get(urlPathEqualTo(MONTH_TO_DATE)).willReturn(aResponse().withStatus(404)));
        RunReport next = h.run("2021-01");

        assertEquals(0, next.getFilesNew(), "nothing new was downloaded");
        List<String> summaries = h.outbox();
        assertEquals(1, summaries.size(), "the next run mails the files nobody was told about");
        String summary = summaries.get(0);
        assertTrue(summary.contains("4 new files"), summary);
        assertTrue(summary.contains("InvoiceName_1-XYZ_1-ABCD_1234567890_FINAL_1.pdf") && summary.contains("8234567890_COMPUTE_1.csv"),
                summary);
        assertEquals(4, h.count("SELECT COUNT(*) FROM harvested_file WHERE summary_id = '" + next.getRunId() + "'"));

        h.run("2021-01");
        assertEquals(1, h.outbox().size(), "no later summary reports them again");
    }
}
