package io.invoiceharvester.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest.StateDb;
import io.invoiceharvester.model.RunState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 9: a harvester killed after its files are recorded but before its summary is written loses
 * no notification: the next run's summary reports those files (a run that finds such files has changes
 * to mail), and no later summary reports them again. On H2 and PostgreSQL.
 */
class SummaryAfterKillTest extends HarvestTestSupport {

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void filesRecordedByAKilledRunAreReportedByTheNextSummaryOnce(StateDb db) throws Exception {
        on(db).withFastly();
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        h.onceKilledAtMonthToDate("2021-01");
        assertEquals(4, h.count("SELECT COUNT(*) FROM harvested_file WHERE summary_id IS NULL"), "recorded, not yet reported");
        assertTrue(h.outbox().isEmpty(), "the killed run wrote no summary");

        RunState next = h.run("2021-01");

        assertEquals(0, next.getFilesStored(), "nothing new was downloaded");
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
