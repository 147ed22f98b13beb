package io.invoiceharvester.ledger;

import io.invoiceharvester.run.ContentFilter;
import io.invoiceharvester.run.FailureReport;
import io.invoiceharvester.run.FileTask;
import io.invoiceharvester.run.RunItem;
import io.invoiceharvester.run.RunReport;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds archived invoice data into the ledger. CSV records arrive as camel-csv's lazy iterator and are
 * inserted in batches in one transaction per file, so memory stays flat and a bad row leaves nothing behind.
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

    /** The archived CSV's characters for camel-csv, a line at most {@link CappedLineReader#MAX_LINE_CHARS} long. */
    public Reader csvReader(@Body FileTask file) throws IOException {
        return openCsv(file.getStored());
    }

    static Reader openCsv(Path file) throws IOException {
        return new CappedLineReader(Files.newBufferedReader(file, StandardCharsets.UTF_8));
    }

    /** The run's archived CSV, as camel-csv's lazy records. */
    public Ledger.Outcome ingestCsv(@ExchangeProperty(RunItem.ITEM) FileTask file, @Body Iterator<List<String>> records,
                                    @ExchangeProperty(RunItem.RUN) RunReport run) throws SQLException, IOException {
        return csv(file, records, run.getRunId());
    }

    public Ledger.Outcome ingestAkamaiJson(@ExchangeProperty(RunItem.ITEM) FileTask file, @ExchangeProperty(RunItem.RUN) RunReport run)
            throws SQLException, IOException {
        return json(file, run.getRunId());
    }

    public Ledger.Outcome ingestFastlyJson(@ExchangeProperty(RunItem.ITEM) FileTask file, @ExchangeProperty(RunItem.RUN) RunReport run)
            throws SQLException, IOException {
        return fastlyJson(file, run.getRunId());
    }

    public Ledger.Outcome csv(FileTask file, Iterator<List<String>> records, String runId) throws SQLException, IOException {
        try {
            long start = System.nanoTime();
            CountingIterator<LedgerLine> lines = new CountingIterator<>(CsvNormalizer.lines(records, file));
            Ledger.Outcome outcome = ledger.ingest(file, "csv", lines, runId);
            long ms = Math.max(1, (System.nanoTime() - start) / 1_000_000);
            LOG.info("ledger: {} {}: {} lines in {} ms ({} lines/s)", outcome.name().toLowerCase(java.util.Locale.ROOT), file,
                    lines.count, ms, lines.count * 1000 / ms);
            return outcome;
        } catch (UnmappedLayoutException e) {
            ledger.recordUnmapped(file, e.getMessage());
            LOG.warn("ledger: {} kept out of the ledger: {}", file, e.getMessage());
            return null;
        } finally {
            if (records instanceof Closeable closeable) {
                closeable.close();
            }
        }
    }

    /**
     * An Akamai JSON, unless the invoice's CSV is its source: decided before the JSON is read, so that a
     * JSON the CSV replaces is archived but never judged (a flaw in it would be quarantined run after run).
     */
    public Ledger.Outcome json(FileTask file, String runId) throws SQLException, IOException {
        FileTask csv = file.getCsvSibling();
        if (csv != null && contentFilter.wanted(csv) || ledger.hasCsvLines(file)) {
            return logged(file, Ledger.Outcome.SUPERSEDED);
        }
        return logged(file, ledger.ingest(file, "json", JsonNormalizer.lines(file.getStored(), file).iterator(), runId));
    }

    public Ledger.Outcome fastlyJson(FileTask file, String runId) throws SQLException, IOException {
        return logged(file, ledger.ingest(file, "json", FastlyNormalizer.lines(file.getStored(), file).iterator(), runId));
    }

    private static Ledger.Outcome logged(FileTask file, Ledger.Outcome outcome) {
        LOG.info("ledger: {} {}", outcome.name().toLowerCase(java.util.Locale.ROOT), file);
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

    /** CSV files no mapping knows stay reported, run after run, until a mapping for them exists. */
    public void reportUnmapped(@ExchangeProperty(RunItem.RUN) RunReport run) throws SQLException {
        for (String file : ledger.unmappedFiles()) {
            failures.record(run, RunReport.FailureKind.CONTENT, file, "archived, but its CSV columns match no ledger mapping:"
                    + " kept out of the ledger until one is configured");
        }
    }
}
