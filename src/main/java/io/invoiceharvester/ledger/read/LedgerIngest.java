package io.invoiceharvester.ledger.read;

import io.invoiceharvester.ledger.table.Ledger;
import io.invoiceharvester.model.ContentFilter;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.FailureReport;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds archived invoice JSON into the ledger, one transaction per file (a CSV goes through ledger-csv's steps,
 * CsvLedger), and reports the CSVs no layout recognises.
 */
public class LedgerIngest {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerIngest.class);

    private final Ledger ledger;
    private final FailureReport failures;
    private final ContentFilter contentFilter;

    public LedgerIngest(Ledger ledger, FailureReport failures, ContentFilter contentFilter) {
        this.ledger = ledger;
        this.failures = failures;
        this.contentFilter = contentFilter;
    }

    public void ingestAkamaiJson(ListedFile file, RunState run)
            throws SQLException, IOException {
        json(file, run.getRunId());
    }

    public void ingestFastlyJson(ListedFile file, RunState run)
            throws SQLException, IOException {
        fastlyJson(file, run.getRunId());
    }

    /**
     * An Akamai JSON, unless the invoice's CSV is its source: decided before the JSON is read, so that a
     * JSON the CSV replaces is archived but never judged (a flaw in it would be quarantined run after run).
     */
    public Ledger.Outcome json(ListedFile file, String runId) throws SQLException, IOException {
        ListedFile csv = file.getCsvSibling();
        if (csv != null && contentFilter.wanted(csv) || ledger.hasCsvLines(file)) {
            return logged(file, Ledger.Outcome.SUPERSEDED);
        }
        return logged(file, ledger.ingest(file, "json", AkamaiJsonNormalizer.lines(file.getStored(), file).iterator(), runId));
    }

    public Ledger.Outcome fastlyJson(ListedFile file, String runId) throws SQLException, IOException {
        return logged(file, ledger.ingest(file, "json", FastlyNormalizer.lines(file.getStored(), file).iterator(), runId));
    }

    private static Ledger.Outcome logged(ListedFile file, Ledger.Outcome outcome) {
        LOG.info("ledger: {} {}", outcome.name().toLowerCase(Locale.ROOT), file);
        return outcome;
    }

    /**
     * Archived CSV files no layout recognises fail the run that first meets them, with their header; later
     * runs list them as waiting (summary, status) until a layout is added, without failing again.
     */
    public void reportUnmapped(RunState run) throws SQLException {
        for (Ledger.Unmapped file : ledger.unreportedUnmapped(run.getRunId())) {
            failures.record(run, RunState.FailureKind.CONTENT, file.description(), "archived, but " + file.header()
                    + "; kept out of the ledger until a layout in harvester.ledger.csv-layouts recognises it (docs/ledger.md,"
                    + " \"CSV layouts\"); later runs list it as waiting");
        }
    }
}
