package io.invoiceharvester.ledger.table;

import io.invoiceharvester.model.Invoice;
import io.invoiceharvester.model.InvoiceFile;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.state.Jdbc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds months of the ledger from the archive and what the state database recorded when each file
 * was stored: no API call, no download. routes/ledger.camel.yaml splits over the months and each month's files,
 * and sends each file through the ledger's own routes; each method here handles one month or one file. A month is
 * marked first, in the transaction that empties it, and unmarked when all its files are in again, so an interrupted
 * or failed rebuild is finished by the next run. Files go in in the order they were stored, so newer versions replace
 * older ones as they did at harvest time.
 */
public class LedgerRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerRebuild.class);
    private static final String MONTH_MARKED = "SELECT 1 FROM ledger_rebuild_pending WHERE billing_month = ?";

    private final DataSource dataSource;

    public LedgerRebuild(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Months a migration or an interrupted rebuild left marked: the run's first phase rebuilds them. */
    public List<YearMonth> markedMonths() throws SQLException {
        return months("SELECT billing_month FROM ledger_rebuild_pending");
    }

    /** The months `ledger rebuild` names, or every month with a stored data file when it names none. */
    public List<YearMonth> months(Collection<YearMonth> requested) throws SQLException {
        return requested.isEmpty() ? months("SELECT DISTINCT billing_month FROM harvested_file") : new ArrayList<>(new TreeSet<>(requested));
    }

    /** Marks the month and removes its lines, in one transaction: from here on it is rebuilt or stays marked. */
    public void empty(YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Jdbc.inTransaction(c, t -> {
                if (!exists(t, MONTH_MARKED, month)) {
                    update(t, "INSERT INTO ledger_rebuild_pending (billing_month) VALUES (?)", month);
                }
                update(t, "DELETE FROM ledger_line WHERE EXISTS (SELECT 1 FROM ledger_invoice i WHERE i.provider = ledger_line.provider"
                        + " AND i.account_id = ledger_line.account_id AND i.invoice_id = ledger_line.invoice_id"
                        + " AND i.source_type = ledger_line.source_type AND i.billing_month = ?)", month);
                update(t, "DELETE FROM ledger_invoice WHERE billing_month = ?", month);
                update(t, "DELETE FROM ledger_unmapped WHERE billing_month = ?", month);
                Ledger.markForExport(t, month.toString());
                return null;
            });
        }
    }

    /** The month's stored CSV and JSON files, in the order they were stored, each JSON linked to its invoice's CSV. */
    public List<ListedFile> archivedFiles(YearMonth month) throws SQLException {
        return files("SELECT " + FILE_COLUMNS + " FROM harvested_file h WHERE h.billing_month = ?"
                + " AND h.content_type IN ('text/csv', 'application/json') ORDER BY h.delivered_at, h.provider, h.account_id,"
                + " h.invoice_id, h.source_type, h.content_type, h.file_version", month);
    }

    /** A file's archived copy, before it is read again: one that is gone fails the file (and leaves its month marked). */
    public void archived(ListedFile file) {
        if (!Files.isRegularFile(file.getStored())) {
            throw new IllegalStateException("the archived copy " + file.getStored() + " is missing");
        }
    }

    /** All the month's files are in again: its mark goes. */
    public void rebuilt(YearMonth month, int files) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            update(c, "DELETE FROM ledger_rebuild_pending WHERE billing_month = ?", month);
        }
        LOG.info("ledger: {} rebuilt from {} archived files", month, files);
    }

    /**
     * Archived CSVs that wait for a layout, oldest first: the run's step before its export ingests those a layout
     * recognises now (a layout file added since); no download.
     */
    public List<ListedFile> waitingCsvs() throws SQLException {
        return files("SELECT " + FILE_COLUMNS + " FROM harvested_file h WHERE h.content_type = 'text/csv'"
                + " AND EXISTS (SELECT 1 FROM ledger_unmapped u WHERE u.provider = h.provider AND u.account_id = h.account_id"
                + " AND u.invoice_id = h.invoice_id AND u.source_type = h.source_type AND u.file_version = h.file_version)"
                + " ORDER BY h.delivered_at", null);
    }

    private static final String FILE_COLUMNS = "h.provider, h.account_id, h.contract_id, h.invoice_id, h.invoice_type,"
            + " h.file_name, h.file_version, h.source_type, h.content_type, h.invoice_total, h.invoice_currency, h.stored_path,"
            + " h.billing_month";

    /** Stored files as they were recorded, each JSON linked to its invoice's CSV among them. */
    private List<ListedFile> files(String sql, YearMonth month) throws SQLException {
        List<ListedFile> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (month != null) {
                ps.setString(1, month.toString());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String fileMonth = rs.getString(13).trim();
                    ListedFile f = new ListedFile(new Listing(rs.getString(1), fileMonth, null), fileMonth,
                            new Invoice(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getBigDecimal(10), rs.getString(11)),
                            new InvoiceFile(rs.getString(6), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), null));
                    out.add(f.recordedAt(Path.of(rs.getString(12))));
                }
            }
        }
        ListedFile.linkCsvSiblings(out);
        return out;
    }

    private List<YearMonth> months(String sql) throws SQLException {
        List<YearMonth> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql + " ORDER BY 1");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(YearMonth.parse(rs.getString(1).trim()));
            }
        }
        return out;
    }

    private static void update(Connection c, String sql, YearMonth month) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, month.toString());
            ps.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String sql, YearMonth month) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, month.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
