package io.invoiceharvester.ledger;

import io.invoiceharvester.model.ContentFilter;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.FailureReport;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds archived invoice data into the ledger. A CSV's records are read lazily by its layout and
 * inserted in batches in one transaction per file, so memory stays flat and a bad row leaves nothing behind.
 */
public class LedgerIngest {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerIngest.class);

    private final Ledger ledger;
    private final CsvLayouts layouts;
    private final FailureReport failures;
    private final ContentFilter contentFilter;

    public LedgerIngest(Ledger ledger, CsvLayouts layouts, FailureReport failures, ContentFilter contentFilter) {
        this.ledger = ledger;
        this.layouts = layouts;
        this.failures = failures;
        this.contentFilter = contentFilter;
    }

    /** The run's archived CSV, read by the layout its header names. */
    public void ingestCsv(ListedFile file, RunState run)
            throws SQLException, IOException {
        csv(file, run.getRunId());
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
     * An archived CSV into the ledger, by the layout (harvester.ledger.csv-layouts) that recognises its
     * header; one that no layout recognises is recorded as unmapped and waits for one.
     */
    public Ledger.Outcome csv(ListedFile file, String runId) throws SQLException, IOException {
        long start = System.nanoTime();
        try (CsvNormalizer rows = layouts.lines(file.getStored(), file)) {
            CountingIterator<LedgerLine> lines = new CountingIterator<>(rows);
            Ledger.Outcome outcome = ledger.ingest(file, "csv", lines, runId);
            long ms = Math.max(1, (System.nanoTime() - start) / 1_000_000);
            LOG.info("ledger: {} {} (layout {}): {} lines in {} ms ({} lines/s)", outcome.name().toLowerCase(Locale.ROOT),
                    file, rows.layoutName(), lines.count, ms, lines.count * 1000 / ms);
            return outcome;
        } catch (UnmappedLayoutException e) {
            ledger.recordUnmapped(file, e.getMessage());
            LOG.warn("ledger: {} kept out of the ledger: {}", file, e.getMessage());
            return null;
        }
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
        return logged(file, ledger.ingest(file, "json", JsonNormalizer.lines(file.getStored(), file).iterator(), runId));
    }

    public Ledger.Outcome fastlyJson(ListedFile file, String runId) throws SQLException, IOException {
        return logged(file, ledger.ingest(file, "json", FastlyNormalizer.lines(file.getStored(), file).iterator(), runId));
    }

    private static Ledger.Outcome logged(ListedFile file, Ledger.Outcome outcome) {
        LOG.info("ledger: {} {}", outcome.name().toLowerCase(Locale.ROOT), file);
        return outcome;
    }

    /** Counts what passes through, for the ingestion log line. */
    private static final class CountingIterator<T> implements Iterator<T> {
        private final Iterator<T> delegate;
        private long count;

        CountingIterator(Iterator<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean hasNext() {
            return delegate.hasNext();
        }

        @Override
        public T next() {
            count++;
            return delegate.next();
        }
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
