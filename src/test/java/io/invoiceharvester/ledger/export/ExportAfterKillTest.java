package io.invoiceharvester.ledger.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest.StateDb;
import io.invoiceharvester.model.RunState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A harvester killed after a month's data is committed but before that month's export is written leaves
 * the month marked; the next run writes the export although it downloads nothing. On H2 and PostgreSQL.
 */
class ExportAfterKillTest extends HarvestTestSupport {

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aMonthCommittedButNotExportedIsExportedByTheNextRun(StateDb db) throws Exception {
        on(db).withFastly();
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        h.onceKilledAtMonthToDate("2021-01");
        Path export = h.out().resolve("ledger/2021-01.csv");
        long lines = h.count("SELECT COUNT(*) FROM ledger_line");
        assertTrue(lines > 0, "the month's lines are committed");
        assertFalse(Files.exists(export), "killed before the export");
        assertEquals(1, h.count("SELECT COUNT(*) FROM ledger_export_pending WHERE billing_month = '2021-01'"), "marked with its lines");

        RunState next = h.run("2021-01");

        assertEquals(0, next.getFilesStored(), "nothing new was downloaded");
        assertTrue(Files.exists(export), "the next run exported the marked month");
        assertEquals(lines + 1, Files.readAllLines(export).size(), "every committed line, and the header");
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_export_pending"), "the mark is cleared once the file is in place");
    }
}
