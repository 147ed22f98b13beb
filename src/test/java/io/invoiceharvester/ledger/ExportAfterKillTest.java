package io.invoiceharvester.ledger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.TestHarvest.StateDb;
import io.invoiceharvester.run.RunReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A harvester killed after a month's data is committed but before that month's export is written leaves
 * the month marked; the next run writes the export although it downloads nothing. On H2 and PostgreSQL.
 */
class ExportAfterKillTest {

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
    void aMonthCommittedButNotExportedIsExportedByTheNextRun(StateDb db) throws Exception {
        h = new TestHarvest(dir, db).withFastly();
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        h.set("harvester.fastly.month-to-date", "true");
        // the step before the export hangs, so the harvester can be killed between commit and export
        h.api.stubFor(get(urlPathEqualTo(MONTH_TO_DATE)).willReturn(aResponse().withStatus(404).withFixedDelay(120_000)));

        Process once = new ProcessBuilder(TestHarvest.javaCommand("once", "--config", h.configFile().toString(), "--month", "2021-01"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (h.requestsTo(MONTH_TO_DATE) == 0 && once.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(once.isAlive(), Files.readString(dir.resolve("killed.log")));
        Thread.sleep(1500); // H2's WRITE_DELAY: the commits are on disk
        once.destroyForcibly();
        assertTrue(once.waitFor(30, TimeUnit.SECONDS));
        Path export = h.out().resolve("ledger/2021-01.csv");
        long lines = h.count("SELECT COUNT(*) FROM ledger_line");
        assertTrue(lines > 0, "the month's lines are committed");
        assertFalse(Files.exists(export), "killed before the export");
        assertEquals(1, h.count("SELECT COUNT(*) FROM ledger_export_pending WHERE billing_month = '2021-01'"), "marked with its lines");

        h.api.stubFor(get(urlPathEqualTo(MONTH_TO_DATE)).willReturn(aResponse().withStatus(404)));
        RunReport next = h.run("2021-01");

        assertEquals(0, next.getFilesNew(), "nothing new was downloaded");
        assertTrue(Files.exists(export), "the next run exported the marked month");
        assertEquals(lines + 1, Files.readAllLines(export).size(), "every committed line, and the header");
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_export_pending"), "the mark is cleared once the file is in place");
    }
}
