package io.invoiceharvester.ledger.table;

import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.state.Jdbc;
import io.invoiceharvester.values.Amounts;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;

/**
 * The ledger in the state database: FOCUS 1.2 lines per invoice, replaced whole by a newer version,
 * reconciled against the invoice's total, and the months whose exports must be rewritten (ledger.export.LedgerExport
 * writes them). {@link LedgerLines} writes the lines; {@link LedgerFigures} reads the sums the summary shows.
 */
public class Ledger {

    /** What an ingestion did with a file's lines. */
    public enum Outcome { INGESTED, REPLACED, SUPERSEDED }

    private static final String KEY = "provider = ? AND account_id = ? AND invoice_id = ? AND source_type = ?";

    private final DataSource dataSource;

    public Ledger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Taken at a file's begin, given back at its close: an invoice's CSV and JSON, stored in parallel, replace the same
     * lines. Not bound to a thread, as a route's steps need not run on one.
     */
    private final Semaphore ingesting = new Semaphore(1);

    /**
     * One file's lines into the ledger, in one transaction (all or nothing): the invoice's older lines out, then its
     * lines a batch at a time ({@link FileWrite#write}), committed with their totals ({@link FileWrite#commit}); closed
     * however it ended. Older versions, and JSON where CSV exists, do not replace: the write is then superseded.
     */
    public FileWrite begin(ListedFile f, String lineSource, String runId) throws SQLException {
        ingesting.acquireUninterruptibly();
        try {
            return new FileWrite(f, lineSource, runId);
        } catch (SQLException | RuntimeException e) {
            ingesting.release();
            throw e;
        }
    }

    /** A file's lines at once (an invoice's JSON): begun, written, committed and closed here. */
    public Outcome ingest(ListedFile f, String lineSource, Iterator<LedgerLine> lines, String runId) throws SQLException {
        try (FileWrite write = begin(f, lineSource, runId)) {
            if (write.isSuperseded()) {
                return Outcome.SUPERSEDED;
            }
            List<LedgerLine> all = new ArrayList<>();
            lines.forEachRemaining(all::add);
            return write.commit(write.write(all));
        }
    }

    /** One file's transaction in the ledger (see {@link #begin}). */
    public final class FileWrite implements AutoCloseable {
        private final ListedFile f;
        private final String lineSource;
        private final String runId;
        private final Connection c;
        private final boolean superseded;
        private final boolean replacing;
        private final LedgerLines lines;
        private boolean committed;
        /** A batch failed part-way: what it wrote cannot be told, so nothing more is written, nothing committed. */
        private boolean broken;

        private FileWrite(ListedFile f, String lineSource, String runId) throws SQLException {
            this.f = f;
            this.lineSource = lineSource;
            this.runId = runId;
            this.c = dataSource.getConnection();
            try {
                c.setAutoCommit(false);
                String existingVersion = null;
                String existingSource = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT file_version, line_source FROM ledger_invoice WHERE " + KEY)) {
                    bindKey(ps, f);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            existingVersion = rs.getString(1);
                            existingSource = rs.getString(2);
                        }
                    }
                }
                int cmp = existingVersion == null ? 1 : compareVersions(f.getFileVersion(), existingVersion);
                superseded = cmp < 0 || cmp == 0 && "csv".equals(existingSource) && "json".equals(lineSource);
                replacing = existingVersion != null;
                if (replacing && !superseded) {
                    try (PreparedStatement del = c.prepareStatement("DELETE FROM ledger_line WHERE " + KEY)) {
                        bindKey(del, f);
                        del.executeUpdate();
                    }
                    try (PreparedStatement del = c.prepareStatement("DELETE FROM ledger_invoice WHERE " + KEY)) {
                        bindKey(del, f);
                        del.executeUpdate();
                    }
                }
                lines = superseded ? null : LedgerLines.open(c, f);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                c.close();
                throw e;
            }
        }

        /** A newer version, or the invoice's CSV, is in the ledger already: nothing is written. */
        public boolean isSuperseded() {
            return superseded;
        }

        /** The file's next lines; their totals (a file's batches add up: LedgerTotals). */
        public LineTotals write(List<LedgerLine> batch) throws SQLException {
            whole();
            try {
                return lines.write(batch);
            } catch (SQLException e) {
                broken = true;
                throw asContent(e);
            } catch (RuntimeException e) {
                broken = true;
                throw e;
            }
        }

        private void whole() {
            if (broken) {
                throw new IllegalStateException(f + ": a batch of its lines failed; the file is not written (its transaction"
                        + " rolls back)");
            }
        }

        /**
         * The invoice recorded with the file's totals, reconciled against its total, its month marked for export: the
         * transaction commits (fenced by the run lock, FencedDataSource).
         */
        public Outcome commit(LineTotals totals) throws SQLException {
            whole();
            try {
                lines.finish();
                try (PreparedStatement del = c.prepareStatement("DELETE FROM ledger_unmapped WHERE " + KEY + " AND file_version = ?")) {
                    del.setString(bindKey(del, f), f.getFileVersion()); // it waited for a layout: one recognises it now
                    del.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger_invoice (provider, account_id, invoice_id,"
                        + " source_type, billing_month, invoice_type, file_version, line_source, source_file, invoice_currency,"
                        + " invoice_total, line_count, reconciled, run_id, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
                    int i = bindKey(ps, f);
                    ps.setString(i++, f.getMonth());
                    ps.setString(i++, f.getInvoiceType());
                    ps.setString(i++, f.getFileVersion());
                    ps.setString(i++, lineSource);
                    ps.setString(i++, f.getSafeFileName());
                    ps.setString(i++, f.getInvoiceCurrency());
                    ps.setBigDecimal(i++, f.getInvoiceTotal());
                    ps.setInt(i++, totals.count());
                    ps.setBoolean(i++, false);
                    ps.setString(i, runId);
                    ps.executeUpdate();
                }
                Map<String, BigDecimal> billed = f.isCorrection() ? signCorrection(c, f, totals.billed()) : totals.billed();
                reconcile(c, f, billed);
                rememberAccountName(c, f, totals.accountNames());
                markForExport(c, f.getMonth());
                c.commit();
                committed = true;
                return replacing ? Outcome.REPLACED : Outcome.INGESTED;
            } catch (SQLException e) {
                throw asContent(e);
            }
        }

        /** A value the database refuses is the file's own: a content failure of that file (quarantined), not of every run. */
        private SQLException asContent(SQLException e) {
            if (Jdbc.isDataError(e)) {
                throw new InvalidContentException("the state database refuses a value of this file: " + Jdbc.firstLine(e));
            }
            return e;
        }

        /** Rolls back what was not committed, and lets the next file in. */
        @Override
        public void close() throws SQLException {
            try {
                if (lines != null) {
                    lines.close();
                }
                if (!committed) {
                    c.rollback();
                }
            } finally {
                try {
                    c.close();
                } finally {
                    ingesting.release();
                }
            }
        }
    }

    /** Whether the invoice's lines come from its CSV, of this version or a newer one. */
    public boolean hasCsvLines(ListedFile f) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT file_version FROM ledger_invoice WHERE " + KEY + " AND line_source = 'csv'")) {
            bindKey(ps, f);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && compareVersions(f.getFileVersion(), rs.getString(1)) <= 0;
            }
        }
    }

    /**
     * Credit memos are negative in the ledger and debit memos positive, whichever sign the provider's file
     * used: costs and quantities turn, unit prices stay, so that cost = price x quantity still holds. An
     * invoice of a type the harvester does not know keeps the sign its file gives.
     */
    private static Map<String, BigDecimal> signCorrection(Connection c, ListedFile f, Map<String, BigDecimal> billed)
            throws SQLException {
        BigDecimal sum = billed.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (sum.signum() != (f.isCreditMemo() ? 1 : -1)) {
            return billed;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_line SET billed_cost = -billed_cost,"
                + " contracted_cost = -contracted_cost, pricing_quantity = -pricing_quantity,"
                + " consumed_quantity = -consumed_quantity WHERE " + KEY)) {
            bindKey(ps, f);
            ps.executeUpdate();
        }
        Map<String, BigDecimal> turned = new TreeMap<>();
        billed.forEach((currency, amount) -> turned.put(currency, amount.negate()));
        return turned;
    }

    /**
     * The account's name for lines that state none: the greatest name its lines state, so that the
     * order files arrive in (or are rebuilt in) cannot change it.
     */
    private static void rememberAccountName(Connection c, ListedFile f, Set<String> names) throws SQLException {
        String name = greatest(c, f, names);
        if (name == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_account SET account_name = ? WHERE provider = ?"
                + " AND account_id = ? AND account_name < ?")) {
            ps.setString(1, name);
            ps.setString(2, f.getProvider());
            ps.setString(3, f.getAccountId());
            ps.setString(4, name);
            if (ps.executeUpdate() > 0) {
                // every month showing the account shows its new name: each is exported again
                try (PreparedStatement months = c.prepareStatement("INSERT INTO ledger_export_pending (billing_month)"
                        + " SELECT DISTINCT billing_month FROM ledger_invoice WHERE provider = ? AND account_id = ?"
                        + " AND billing_month NOT IN (SELECT billing_month FROM ledger_export_pending)")) {
                    months.setString(1, f.getProvider());
                    months.setString(2, f.getAccountId());
                    months.executeUpdate();
                }
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger_account (provider, account_id, account_name)"
                + " SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM ledger_account WHERE provider = ? AND account_id = ?)")) {
            ps.setString(1, f.getProvider());
            ps.setString(2, f.getAccountId());
            ps.setString(3, name);
            ps.setString(4, f.getProvider());
            ps.setString(5, f.getAccountId());
            ps.executeUpdate();
        }
    }

    /**
     * The greatest of the names the lines stated, by the database's own ordering (as the comparison with the
     * stored name is): one name needs no query; too many to keep (null) are asked of the lines themselves.
     */
    private static String greatest(Connection c, ListedFile f, Set<String> names) throws SQLException {
        if (names != null && names.size() <= 1) {
            return names.isEmpty() ? null : names.iterator().next();
        }
        String sql = names == null ? "SELECT MAX(billing_account_name) FROM ledger_line WHERE " + KEY
                : "SELECT MAX(n) FROM (" + String.join(" UNION ALL ", Collections.nCopies(names.size(), "SELECT CAST(? AS VARCHAR(512)) AS n"))
                + ") t";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (names == null) {
                bindKey(ps, f);
            } else {
                int i = 1;
                for (String n : names) {
                    ps.setString(i++, n);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The month's export is stale from this transaction's commit on. */
    static void markForExport(Connection c, String month) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger_export_pending (billing_month)"
                + " SELECT ? WHERE NOT EXISTS (SELECT 1 FROM ledger_export_pending WHERE billing_month = ?)")) {
            ps.setString(1, month);
            ps.setString(2, month);
            ps.executeUpdate();
        }
    }

    /** The invoice's lines (all its source types) against its listed total, exact and per currency. */
    private static void reconcile(Connection c, ListedFile f, Map<String, BigDecimal> billed) throws SQLException {
        // this file's lines were summed as they were written; only the invoice's other source types are read
        Map<String, BigDecimal> sums = new TreeMap<>(billed);
        try (PreparedStatement ps = c.prepareStatement("SELECT billing_currency, SUM(billed_cost) FROM ledger_line"
                + " WHERE provider = ? AND account_id = ? AND invoice_id = ? AND source_type <> ? GROUP BY billing_currency")) {
            ps.setString(1, f.getProvider());
            ps.setString(2, f.getAccountId());
            ps.setString(3, f.getInvoiceId());
            ps.setString(4, f.getSourceType());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sums.merge(rs.getString(1), rs.getBigDecimal(2), BigDecimal::add);
                }
            }
        }
        BigDecimal total = f.getInvoiceTotal();
        String currency = f.getInvoiceCurrency();
        String problem = null;
        if (total == null || currency == null) {
            problem = "the invoice list gave no total to reconcile against";
        } else if (sums.size() > 1 || !sums.isEmpty() && !sums.containsKey(currency)) {
            problem = "lines are in " + sums.keySet() + ", the invoice in " + currency;
        } else {
            BigDecimal lines = sums.getOrDefault(currency, BigDecimal.ZERO);
            if (lines.compareTo(total) != 0) {
                problem = "lines sum to " + plain(lines) + " " + currency + ", invoice total is " + plain(total) + " "
                        + currency + " (difference " + plain(lines.subtract(total)) + ")";
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_invoice SET reconciled = ?, reconciliation = ?"
                + " WHERE provider = ? AND account_id = ? AND invoice_id = ?")) {
            ps.setBoolean(1, problem == null);
            ps.setString(2, problem);
            ps.setString(3, f.getProvider());
            ps.setString(4, f.getAccountId());
            ps.setString(5, f.getInvoiceId());
            ps.executeUpdate();
        }
    }

    public void recordUnmapped(ListedFile f, String header) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ledger_unmapped (provider, account_id, invoice_id, source_type, file_version, billing_month,"
                        + " file_name, header) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = bindKey(ps, f);
            ps.setString(i++, f.getFileVersion());
            ps.setString(i++, f.getMonth());
            ps.setString(i++, f.getSafeFileName());
            ps.setString(i, LedgerLines.clip(header, 4000));
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!Jdbc.isDuplicateKey(e)) { // recorded already is fine; a refused row is not
                throw e;
            }
        }
    }

    /** An archived CSV no layout recognises: the file, and what it says of its header. */
    public record Unmapped(String description, String header) {
    }

    /**
     * The unmapped CSVs no run has reported yet, marked as reported by this one. The mark lives apart from
     * ledger_unmapped, which a rebuild empties and fills again: a file is reported once, whatever rebuilds.
     */
    public List<Unmapped> unreportedUnmapped(String runId) throws SQLException {
        List<Unmapped> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT u.provider, u.account_id, u.billing_month, u.invoice_id,"
                    + " u.file_version, u.file_name, u.header, u.source_type FROM ledger_unmapped u WHERE NOT EXISTS (SELECT 1"
                    + " FROM ledger_unmapped_reported r WHERE r.provider = u.provider AND r.account_id = u.account_id"
                    + " AND r.invoice_id = u.invoice_id AND r.source_type = u.source_type AND r.file_version = u.file_version)"
                    + " ORDER BY u.billing_month, u.provider, u.account_id, u.invoice_id");
                 PreparedStatement mark = c.prepareStatement("INSERT INTO ledger_unmapped_reported (provider, account_id,"
                         + " invoice_id, source_type, file_version, run_id, reported_at) VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Unmapped(rs.getString(1) + " invoice " + rs.getString(4) + " v" + rs.getString(5) + " "
                                + rs.getString(6) + " (account " + rs.getString(2) + ", " + rs.getString(3).trim() + ")", rs.getString(7)));
                        mark.setString(1, rs.getString(1));
                        mark.setString(2, rs.getString(2));
                        mark.setString(3, rs.getString(4));
                        mark.setString(4, rs.getString(8));
                        mark.setString(5, rs.getString(5));
                        mark.setString(6, runId);
                        mark.addBatch();
                    }
                }
                mark.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return out;
    }

    /** Numeric versions compare as numbers (Akamai); others (Fastly's hashes) always count as newer. */
    static int compareVersions(String incoming, String existing) {
        if (incoming.equals(existing)) {
            return 0;
        }
        try {
            return Long.compare(Long.parseLong(incoming), Long.parseLong(existing));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static int bindKey(PreparedStatement ps, ListedFile f) throws SQLException {
        ps.setString(1, f.getProvider());
        ps.setString(2, f.getAccountId());
        ps.setString(3, f.getInvoiceId());
        ps.setString(4, f.getSourceType());
        return 5;
    }

    static String plain(BigDecimal v) {
        return Amounts.text(v, 0);
    }
}
