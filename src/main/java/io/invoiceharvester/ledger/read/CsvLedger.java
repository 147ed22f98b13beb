package io.invoiceharvester.ledger.read;

import io.invoiceharvester.ledger.table.Ledger;
import io.invoiceharvester.ledger.table.LedgerLine;
import io.invoiceharvester.ledger.table.LineTotals;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunState;
import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ledger-csv's steps for one archived CSV (routes/ledger.camel.yaml): the layout its header names, the file's
 * transaction in the ledger, its text for camel-csv to unmarshal, each batch of records mapped into ledger lines and
 * written, and the file's totals committed. The route unmarshals, splits and aggregates; each step here handles
 * one file or one batch.
 */
public class CsvLedger {

    private static final Logger LOG = LoggerFactory.getLogger(CsvLedger.class);

    private final Ledger ledger;
    private final CsvLayouts layouts;

    public CsvLedger(Ledger ledger, CsvLayouts layouts) {
        this.ledger = ledger;
        this.layouts = layouts;
    }

    /** One CSV on its way into the ledger: its layout's mapping and its open transaction. */
    public static final class Ingest implements AutoCloseable {
        private final ListedFile file;
        private final CsvLayout layout;
        private final CsvNormalizer normalizer;
        private final Ledger.FileWrite write;
        private final long started = System.nanoTime();
        private Reader text;
        private boolean closed;

        private Ingest(ListedFile file, CsvLayouts.Recognised recognised, Ledger.FileWrite write) {
            this.file = file;
            this.layout = recognised.layout();
            this.normalizer = recognised.normalizer(file);
            this.write = write;
        }

        /** The file: ledger-csv's body again once its lines are in. */
        public ListedFile getFile() {
            return file;
        }

        /** The layout the file's header names (its delimiter picks the unmarshal). */
        public CsvLayout getLayout() {
            return layout;
        }

        /** A newer version, or nothing to replace: the file's lines are not written. */
        public boolean isSuperseded() {
            return write.isSuperseded();
        }

        /** Closed once: what was not committed is rolled back, the file's text closed, the ledger free for the next file. */
        @Override
        public synchronized void close() throws IOException, SQLException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (text != null) {
                    text.close();
                }
            } finally {
                write.close();
            }
        }
    }

    /**
     * The file's layout and its transaction; null for a header no layout recognises, which is recorded and waits for
     * a layout (harvester.ledger.csv-layouts), without failing the file. The transaction closes (rolled back unless
     * committed) when the file's exchange completes, however it ended, as camel-csv closes its reader.
     */
    public Ingest begin(ListedFile file, RunState run, Exchange exchange) throws IOException, SQLException {
        CsvLayouts.Recognised recognised;
        try {
            recognised = layouts.recognise(file.getStored());
        } catch (UnmappedLayoutException e) {
            ledger.recordUnmapped(file, e.getMessage());
            LOG.warn("ledger: {} kept out of the ledger: {}", file, e.getMessage());
            return null;
        }
        Ingest ingest = new Ingest(file, recognised, ledger.begin(file, "csv", run.getRunId()));
        if (ingest.isSuperseded()) {
            ingest.close(); // nothing to write: the ledger is free for the next file at once
            LOG.info("ledger: superseded {}", file);
            return ingest;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    ingest.close();
                } catch (IOException | SQLException | RuntimeException e) {
                    LOG.warn("ledger: {} not closed cleanly: {}", file, e.getMessage());
                }
            }
        });
        return ingest;
    }

    /**
     * The file's text for unmarshal, each line capped at 1 MiB before the parser sees it; closed with the file. A read
     * that fails part-way fails the file, never retried in place: the records read so far are in its transaction.
     */
    public Reader text(Ingest ingest) throws IOException {
        ingest.text = new FilterReader(CsvLayouts.rows(ingest.file.getStored())) {
            @Override
            public int read(char[] buffer, int offset, int count) {
                try {
                    return super.read(buffer, offset, count);
                } catch (MalformedInputException e) {
                    throw new InvalidContentException("CSV is not UTF-8 text");
                } catch (IOException e) {
                    throw new IllegalStateException("the archived copy " + ingest.file.getStored() + " could not be read to its end ("
                            + e.getMessage() + "); the next run reads it again", e);
                }
            }
        };
        return ingest.text;
    }

    /** A batch of the file's records as ledger lines, by its layout (the file's first record is its header). */
    public List<LedgerLine> lines(List<List<String>> records, Ingest ingest) {
        return ingest.normalizer.lines(records);
    }

    /** A batch of lines into the file's transaction; their totals. */
    public LineTotals write(List<LedgerLine> lines, Ingest ingest) throws SQLException {
        return ingest.write.write(lines);
    }

    /** The file's totals recorded and reconciled: its transaction commits, and the file is closed. */
    public Ledger.Outcome commit(LineTotals totals, Ingest ingest) throws SQLException, IOException {
        Ledger.Outcome outcome = ingest.write.commit(totals);
        ingest.close();
        long ms = Math.max(1, (System.nanoTime() - ingest.started) / 1_000_000);
        LOG.info("ledger: {} {} (layout {}): {} lines in {} ms ({} lines/s)", outcome.name().toLowerCase(Locale.ROOT), ingest.file,
                ingest.layout.name, totals.count(), ms, totals.count() * 1000L / ms);
        return outcome;
    }
}
