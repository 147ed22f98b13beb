package io.invoiceharvester.ledger;

import io.invoiceharvester.run.FileTask;
import java.math.BigDecimal;
import java.sql.Connection;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The ledger in the state database: FOCUS 1.2 lines per invoice, replaced whole by a newer version, and
 * the months whose exports must be rewritten ({@link LedgerExport} writes them).
 */
public class Ledger {

    /** What an ingestion did with a file's lines. */
    public enum Outcome { INGESTED, REPLACED, SUPERSEDED }

    private static final int BATCH = 1000;
    private static final String KEY = "provider = ? AND account_id = ? AND invoice_id = ? AND source_type = ?";

    private final DataSource dataSource;

    public Ledger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Replaces the invoice's lines of this source type with the given ones, in one transaction: a
     * failure mid-file leaves the ledger as it was. Older versions, and JSON where CSV exists, do not replace.
     */
    // serialized: an invoice's CSV and JSON, downloaded in parallel, replace the same lines
    public synchronized Outcome ingest(FileTask f, String lineSource, Iterator<LedgerLine> lines, String runId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Outcome outcome = ingest(c, f, lineSource, lines, runId);
                c.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Outcome ingest(Connection c, FileTask f, String lineSource, Iterator<LedgerLine> lines, String runId)
            throws SQLException {
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
        if (existingVersion != null) {
            int cmp = compareVersions(f.getFileVersion(), existingVersion);
            if (cmp < 0 || cmp == 0 && "csv".equals(existingSource) && "json".equals(lineSource)) {
                return Outcome.SUPERSEDED;
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM ledger_line WHERE " + KEY)) {
                bindKey(del, f);
                del.executeUpdate();
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM ledger_invoice WHERE " + KEY)) {
                bindKey(del, f);
                del.executeUpdate();
            }
        }
        int count = insertLines(c, f, lines);
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
            ps.setInt(i++, count);
            ps.setBoolean(i++, false);
            ps.setString(i, runId);
            ps.executeUpdate();
        }
        if (f.isCreditMemo()) {
            negateCreditIfPositive(c, f);
        }
        reconcile(c, f);
        rememberAccountName(c, f);
        markForExport(c, f.getMonth());
        return existingVersion == null ? Outcome.INGESTED : Outcome.REPLACED;
    }

    /** Whether the invoice's lines come from its CSV, of this version or a newer one. */
    public boolean hasCsvLines(FileTask f) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT file_version FROM ledger_invoice WHERE " + KEY + " AND line_source = 'csv'")) {
            bindKey(ps, f);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && compareVersions(f.getFileVersion(), rs.getString(1)) <= 0;
            }
        }
    }

    private static final String LINE_COLUMNS = "provider, account_id, invoice_id, source_type, line_no, billing_account_name,"
            + " sub_account_id, sub_account_name, charge_period_start, charge_period_end, charge_category, charge_class,"
            + " charge_frequency, charge_description, service_name, service_category, service_subcategory, region_id,"
            + " region_name, sku_id, pricing_category, pricing_quantity, pricing_unit, contracted_unit_price,"
            + " consumed_quantity, consumed_unit, contracted_cost, billed_cost, billing_currency, item_type, unit_measure,"
            + " product_line, product_group, billing_region, credit_coupon_code, source_columns";
    private static final int LINE_COLUMN_COUNT = 36;
    private static final int COPY_CHUNK = 1 << 16;

    /** On PostgreSQL the lines go in by COPY (its bulk path), elsewhere as batched inserts; same transaction either way. */
    private int insertLines(Connection c, FileTask f, Iterator<LedgerLine> lines) throws SQLException {
        if (c.isWrapperFor(PGConnection.class)) {
            return copyLines(c.unwrap(PGConnection.class), f, lines);
        }
        String marks = String.join(", ", java.util.Collections.nCopies(LINE_COLUMN_COUNT, "?"));
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger_line (" + LINE_COLUMNS + ") VALUES (" + marks + ")")) {
            while (lines.hasNext()) {
                Object[] row = row(f, ++n, lines.next());
                for (int i = 0; i < row.length; i++) {
                    if (row[i] instanceof LocalDate d) {
                        ps.setDate(i + 1, Date.valueOf(d));
                    } else if (row[i] == null) {
                        ps.setNull(i + 1, Types.NULL);
                    } else {
                        ps.setObject(i + 1, row[i]);
                    }
                }
                ps.addBatch();
                if (n % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        return n;
    }

    private static int copyLines(PGConnection pg, FileTask f, Iterator<LedgerLine> lines) throws SQLException {
        CopyIn copy = pg.getCopyAPI().copyIn("COPY ledger_line (" + LINE_COLUMNS + ") FROM STDIN WITH (FORMAT csv)");
        int n = 0;
        try {
            StringBuilder chunk = new StringBuilder(COPY_CHUNK + 4096);
            while (lines.hasNext()) {
                Object[] row = row(f, ++n, lines.next());
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        chunk.append(',');
                    }
                    copyField(chunk, row[i]);
                }
                chunk.append('\n');
                if (chunk.length() >= COPY_CHUNK) {
                    send(copy, chunk);
                }
            }
            send(copy, chunk);
            copy.endCopy();
            return n;
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /**
     * One field of COPY's CSV: NULL is an empty field, text is quoted (so an empty string stays one), a
     * quote doubled; numbers and dates as their plain text.
     */
    private static void copyField(StringBuilder out, Object v) {
        if (v == null) {
            return;
        }
        if (v instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else if (v instanceof String text) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    out.append('"');
                }
                out.append(c);
            }
            out.append('"');
        } else {
            out.append(v);
        }
    }

    private static void send(CopyIn copy, StringBuilder chunk) throws SQLException {
        byte[] bytes = chunk.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        chunk.setLength(0);
    }

    /** One ledger_line row, in {@link #LINE_COLUMNS}' order, text clipped to its column. */
    private static Object[] row(FileTask f, int lineNo, LedgerLine l) {
        return new Object[] {f.getProvider(), f.getAccountId(), f.getInvoiceId(), f.getSourceType(), lineNo,
            clip(l.billingAccountName(), 512), clip(l.subAccountId(), 128), clip(l.subAccountName(), 512),
            l.chargePeriodStart(), l.chargePeriodEnd(), l.chargeCategory(),
            // a credit memo corrects charges of an earlier invoice: its lines keep their category
            f.isCreditMemo() ? "Correction" : null,
            l.chargeFrequency(), clip(l.chargeDescription(), 2048), clip(l.serviceName(), 512), l.serviceCategory(),
            l.serviceSubcategory(), clip(l.regionId(), 128), clip(l.regionName(), 128), clip(l.skuId(), 128),
            l.pricingCategory(), l.pricingQuantity(), clip(l.pricingUnit(), 64), l.contractedUnitPrice(),
            l.consumedQuantity(), clip(l.consumedUnit(), 64), l.contractedCost(), l.billedCost(), l.billingCurrency(),
            clip(l.itemType(), 32), clip(l.unitMeasure(), 64), clip(l.productLine(), 255), clip(l.productGroup(), 255),
            clip(l.billingRegion(), 128), clip(l.creditCouponCode(), 128), clip(l.sourceColumns(), 4000)};
    }

    /**
     * Credit memos are negative in the ledger, whichever sign the provider's file used: costs and
     * quantities turn, unit prices stay, so that cost = price x quantity still holds.
     */
    private static void negateCreditIfPositive(Connection c, FileTask f) throws SQLException {
        BigDecimal sum;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(billed_cost), 0) FROM ledger_line WHERE " + KEY)) {
            bindKey(ps, f);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                sum = rs.getBigDecimal(1);
            }
        }
        if (sum.signum() > 0) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_line SET billed_cost = -billed_cost,"
                    + " contracted_cost = -contracted_cost, pricing_quantity = -pricing_quantity,"
                    + " consumed_quantity = -consumed_quantity WHERE " + KEY)) {
                bindKey(ps, f);
                ps.executeUpdate();
            }
        }
    }

    /**
     * The account's name for lines that state none: the greatest name its lines state, so that the
     * order files arrive in (or are rebuilt in) cannot change it.
     */
    private static void rememberAccountName(Connection c, FileTask f) throws SQLException {
        String name;
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(billing_account_name) FROM ledger_line WHERE " + KEY)) {
            bindKey(ps, f);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                name = rs.getString(1);
            }
        }
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
    private static void reconcile(Connection c, FileTask f) throws SQLException {
        Map<String, BigDecimal> sums = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT billing_currency, SUM(billed_cost) FROM ledger_line"
                + " WHERE provider = ? AND account_id = ? AND invoice_id = ? GROUP BY billing_currency ORDER BY billing_currency")) {
            ps.setString(1, f.getProvider());
            ps.setString(2, f.getAccountId());
            ps.setString(3, f.getInvoiceId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sums.put(rs.getString(1), rs.getBigDecimal(2));
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

    public void recordUnmapped(FileTask f, String header) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ledger_unmapped (provider, account_id, invoice_id, source_type, file_version, billing_month,"
                        + " file_name, header) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = bindKey(ps, f);
            ps.setString(i++, f.getFileVersion());
            ps.setString(i++, f.getMonth());
            ps.setString(i++, f.getSafeFileName());
            ps.setString(i, clip(header, 4000));
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
        }
    }

    /** Archived CSV files awaiting a column mapping, described for the run's report. */
    public List<String> unmappedFiles() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT provider, account_id, billing_month, invoice_id, file_version, file_name FROM ledger_unmapped"
                        + " ORDER BY billing_month, provider, account_id, invoice_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + " invoice " + rs.getString(4) + " v" + rs.getString(5) + " " + rs.getString(6)
                        + " (account " + rs.getString(2) + ", " + rs.getString(3) + ")");
            }
        }
        return out;
    }

    /** Billed totals per currency of one account's month. */
    public Map<String, BigDecimal> totals(String provider, String account, YearMonth month) throws SQLException {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        query("SELECT l.billing_currency, SUM(l.billed_cost) FROM ledger_line l JOIN ledger_invoice i ON l.provider = i.provider"
                + " AND l.account_id = i.account_id AND l.invoice_id = i.invoice_id AND l.source_type = i.source_type"
                + " WHERE i.provider = ? AND i.account_id = ? AND i.billing_month = ? GROUP BY l.billing_currency"
                + " ORDER BY l.billing_currency", List.of(provider, account, month.toString()),
                rs -> out.put(rs.getString(1), rs.getBigDecimal(2)));
        return out;
    }

    /** Billed totals per currency of the ledger lines a run wrote. */
    public Map<String, BigDecimal> totalsOfRun(String runId) throws SQLException {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        query("SELECT l.billing_currency, SUM(l.billed_cost) FROM ledger_line l JOIN ledger_invoice i ON l.provider = i.provider"
                + " AND l.account_id = i.account_id AND l.invoice_id = i.invoice_id AND l.source_type = i.source_type"
                + " WHERE i.run_id = ? GROUP BY l.billing_currency ORDER BY l.billing_currency", List.of(runId),
                rs -> out.put(rs.getString(1), rs.getBigDecimal(2)));
        return out;
    }

    public record ServiceCost(String service, String currency, BigDecimal cost) {
    }

    /** The most expensive services of one account's month. */
    public List<ServiceCost> topServices(String provider, String account, YearMonth month, int limit) throws SQLException {
        List<ServiceCost> out = new ArrayList<>();
        query("SELECT COALESCE(l.service_name, '(none)'), l.billing_currency, SUM(l.billed_cost) AS cost FROM ledger_line l"
                + " JOIN ledger_invoice i ON l.provider = i.provider AND l.account_id = i.account_id AND l.invoice_id = i.invoice_id"
                + " AND l.source_type = i.source_type WHERE i.provider = ? AND i.account_id = ? AND i.billing_month = ?"
                + " GROUP BY l.service_name, l.billing_currency ORDER BY cost DESC", List.of(provider, account, month.toString()),
                rs -> {
                    if (out.size() < limit) {
                        out.add(new ServiceCost(rs.getString(1), rs.getString(2), rs.getBigDecimal(3)));
                    }
                });
        return out;
    }

    /** Invoices of one account's month whose lines do not add up to their total. */
    public List<String> reconciliationFlags(String provider, String account, YearMonth month) throws SQLException {
        List<String> out = new ArrayList<>();
        query("SELECT DISTINCT invoice_id, reconciliation FROM ledger_invoice WHERE provider = ? AND account_id = ?"
                + " AND billing_month = ? AND reconciled = FALSE ORDER BY invoice_id", List.of(provider, account, month.toString()),
                rs -> out.add("invoice " + rs.getString(1) + ": " + rs.getString(2)));
        return out;
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private void query(String sql, List<String> params, RowHandler handler) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        }
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

    private static int bindKey(PreparedStatement ps, FileTask f) throws SQLException {
        ps.setString(1, f.getProvider());
        ps.setString(2, f.getAccountId());
        ps.setString(3, f.getInvoiceId());
        ps.setString(4, f.getSourceType());
        return 5;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }

    /** Money with at least two decimals, no grouping, '.' as separator. */
    public static String money(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return (s.scale() < 2 ? s.setScale(2) : s).toPlainString();
    }
}
