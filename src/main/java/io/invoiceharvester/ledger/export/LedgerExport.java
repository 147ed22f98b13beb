package io.invoiceharvester.ledger.export;

import io.invoiceharvester.delivery.SafeFiles;
import io.invoiceharvester.state.Jdbc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites ledger/{YYYY-MM}.csv (and .parquet) of a month whose lines changed since its last export (export-ledger
 * splits over them), and ledger/focus-metadata.json (the FOCUS metadata they follow) when their schema changed.
 * Each file is written whole under a temporary name and renamed; the month's mark is cleared only after
 * all its files are in place, so a kill or a failure leaves the mark for the next run.
 */
public class LedgerExport {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerExport.class);
    /** Rows a round trip brings from PostgreSQL: a few MB. */
    private static final int FETCH_SIZE = 5000;

    private final DataSource dataSource;
    private final Path ledgerDir;
    private final List<LedgerFile.Format> formats;
    /** Before the files are written and renamed: the run lock is still this process's (RunLock.checkFence). */
    private final Runnable fence;
    private FocusMetadata metadata;

    public LedgerExport(DataSource dataSource, Path outputDir, List<String> formats, Runnable fence) {
        this.dataSource = dataSource;
        this.ledgerDir = outputDir.resolve("ledger");
        this.formats = formats.stream().map(LedgerFile.Format::parse).distinct().toList();
        this.fence = fence;
    }

    /** Checks harvester.ledger.formats; the message names what is wrong. */
    public static List<String> checkFormats(List<String> formats) {
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("empty; name csv, parquet or both (csv,parquet)");
        }
        formats.forEach(LedgerFile.Format::parse);
        return formats;
    }

    /** The months whose lines changed since their export, oldest first: export-ledger splits over them. */
    public List<YearMonth> pendingMonths() throws SQLException {
        List<YearMonth> months = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT billing_month FROM ledger_export_pending ORDER BY billing_month"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                months.add(YearMonth.parse(rs.getString(1)));
            }
        }
        return months;
    }

    /**
     * Writes the month's files in every configured format, then clears its mark. The FOCUS metadata they
     * reference is written first, so a file never names a schema that is not published.
     */
    public void exportMonth(YearMonth month) throws SQLException, IOException {
        long started = System.nanoTime();
        Files.createDirectories(ledgerDir);
        FocusMetadata metadata = metadata();
        fence.run();
        metadata.publish(ledgerDir);
        Map<LedgerFile.Format, Path> staged = new LinkedHashMap<>();
        try {
            for (LedgerFile.Format f : formats) {
                staged.put(f, ledgerDir.resolve("." + month + "." + f.extension() + ".inprogress"));
            }
            long rows = write(month, staged, metadata);
            fence.run();
            for (Map.Entry<LedgerFile.Format, Path> e : staged.entrySet()) {
                SafeFiles.replace(e.getValue(), file(month, e.getKey()));
            }
            clearMark(month);
            long ms = Math.max(1, (System.nanoTime() - started) / 1_000_000);
            LOG.info("ledger: {} exported, {} lines ({}) in {} ms ({} lines/s)", month, rows, formats, ms, rows * 1000 / ms);
        } finally {
            for (Path tmp : staged.values()) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** The schema is fixed while the process runs (migrations come first): read once. */
    private synchronized FocusMetadata metadata() throws SQLException {
        if (metadata == null) {
            metadata = FocusMetadata.of(dataSource);
        }
        return metadata;
    }

    public Path file(YearMonth month, LedgerFile.Format format) {
        return ledgerDir.resolve(month + "." + format.extension());
    }

    public Path csvFile(YearMonth month) {
        return file(month, LedgerFile.Format.CSV);
    }

    /**
     * One pass over the month's lines feeds every format, each written by a thread of its own while this one reads
     * (OverlappedSink); a cursor (not autocommit) streams them on PostgreSQL, H2 hands rows as it reads them (lazy
     * execution: otherwise it copies every result to a temporary store first), and one snapshot (repeatable read)
     * holds them still from the first invoice to the last.
     */
    private long write(YearMonth month, Map<LedgerFile.Format, Path> staged, FocusMetadata metadata) throws SQLException, IOException {
        // closed in reverse order, each failure of a close suppressed under the one that ended the export
        try (Connection c = dataSource.getConnection(); ReadSession session = readSession(c); OpenFiles files = new OpenFiles()) {
            for (Map.Entry<LedgerFile.Format, Path> e : staged.entrySet()) {
                files.add(e.getKey().open(e.getValue(), metadata));
            }
            List<FocusColumns.RowSink> writers = new ArrayList<>();
            for (LedgerFile f : files) {
                FocusColumns.Rows rows = new FocusColumns.Rows(month); // one per thread: it reuses its row
                writers.add(sources -> f.write(rows.of(sources)));
            }
            try (OverlappedSink sink = new OverlappedSink("ledger-export " + month, writers)) {
                long count = FocusColumns.read(c, month, FETCH_SIZE, sink);
                sink.finish();
                return count;
            }
        }
    }

    /** What undoes {@link #readSession}. */
    private interface ReadSession extends AutoCloseable {
        @Override
        void close() throws SQLException;
    }

    /**
     * The connection set for reading a month: one snapshot (repeatable read, no autocommit) and, on H2, lazy query
     * execution; closing rolls back and sets the pooled connection as it was.
     */
    private static ReadSession readSession(Connection c) throws SQLException {
        int isolation = c.getTransactionIsolation();
        boolean h2 = "H2".equals(c.getMetaData().getDatabaseProductName());
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setAutoCommit(false);
        lazy(c, h2, true);
        return () -> {
            c.rollback();
            lazy(c, h2, false);
            c.setAutoCommit(true);
            c.setTransactionIsolation(isolation);
        };
    }

    /** H2's lazy query execution on the pooled connection, for the export only. */
    private static void lazy(Connection c, boolean h2, boolean on) throws SQLException {
        if (h2) {
            try (Statement st = c.createStatement()) {
                st.execute("SET LAZY_QUERY_EXECUTION " + on);
            }
        }
    }

    /** The month's files being written: closing closes each, the first failure thrown and the others suppressed. */
    private static final class OpenFiles extends ArrayList<LedgerFile> implements AutoCloseable {
        @Override
        public void close() throws IOException {
            IOException first = null;
            for (LedgerFile f : this) {
                try {
                    f.close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /** The month is exported: its mark goes, and with it any record of an earlier export published (LedgerPublish). */
    private void clearMark(YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Jdbc.inTransaction(c, t -> {
                for (String sql : List.of("DELETE FROM ledger_export_pending WHERE billing_month = ?",
                        "DELETE FROM ledger_published WHERE billing_month = ?")) {
                    try (PreparedStatement ps = t.prepareStatement(sql)) {
                        ps.setString(1, month.toString());
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        }
    }
}
