package io.invoiceharvester.ledger;

import io.invoiceharvester.model.Invoice;
import io.invoiceharvester.model.InvoiceFile;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.FailureReport;
import java.io.IOException;
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
 * was stored: no API call, no download. A month is marked first, in the transaction that empties it, and
 * unmarked when all its files are in again, so an interrupted rebuild is finished by the next run. Files
 * go in in the order they were stored, so newer versions replace older ones as they did at harvest time.
 */
public class LedgerRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerRebuild.class);
    private static final String MONTH_MARKED = "SELECT 1 FROM ledger_rebuild_pending WHERE billing_month = ?";

    /** What a rebuild did: its months, the files it read, and what it could not read. */
    public record Result(List<YearMonth> months, int files, List<String> problems) {
    }

    private final DataSource dataSource;
    private final LedgerIngest ingest;
    private final FailureReport failures;

    public LedgerRebuild(DataSource dataSource, LedgerIngest ingest, FailureReport failures) {
        this.dataSource = dataSource;
        this.ingest = ingest;
        this.failures = failures;
    }

    /** The run's first step: months a migration or an interrupted rebuild left marked. */
    public void rebuildPending(RunState run) throws SQLException {
        List<YearMonth> marked = months("SELECT billing_month FROM ledger_rebuild_pending");
        if (marked.isEmpty()) {
            return;
        }
        Result result = rebuild(marked, run.getRunId());
        for (String problem : result.problems()) {
            failures.record(run, RunState.FailureKind.CONTENT, "ledger rebuild", problem);
        }
    }

    /** Rebuilds the given months, or every month with a stored data file when none is given. */
    public Result rebuild(Collection<YearMonth> requested, String runId) throws SQLException {
        List<YearMonth> months = requested.isEmpty()
                ? months("SELECT DISTINCT billing_month FROM harvested_file") : new ArrayList<>(new TreeSet<>(requested));
        List<String> problems = new ArrayList<>();
        int files = 0;
        for (YearMonth month : months) {
            empty(month);
            List<ListedFile> stored = storedDataFiles(month);
            boolean complete = true;
            for (ListedFile f : stored) {
                try {
                    if (!Files.isRegularFile(f.getStored())) {
                        throw new IOException("the archived copy " + f.getStored() + " is missing");
                    }
                    ingest(f, runId);
                    files++;
                } catch (IOException | SQLException | RuntimeException e) {
                    complete = false;
                    problems.add(f + ": " + e.getMessage());
                }
            }
            if (complete) {
                execute("DELETE FROM ledger_rebuild_pending WHERE billing_month = ?", month);
            }
            LOG.info("ledger: {} rebuilt from {} archived files{}", month, stored.size(), complete ? "" : " (incomplete)");
        }
        return new Result(months, files, problems);
    }

    /**
     * The run's step before its export: archived CSVs that wait for a layout, ingested if one recognises
     * them now (a layout file added since); no download.
     */
    public void retryUnmapped(RunState run) throws SQLException {
        List<ListedFile> waiting = files("SELECT " + FILE_COLUMNS + " FROM harvested_file h WHERE h.content_type = 'text/csv'"
                + " AND EXISTS (SELECT 1 FROM ledger_unmapped u WHERE u.provider = h.provider AND u.account_id = h.account_id"
                + " AND u.invoice_id = h.invoice_id AND u.source_type = h.source_type AND u.file_version = h.file_version)"
                + " ORDER BY h.delivered_at", null);
        for (ListedFile f : waiting) {
            try {
                ingest.csv(f, run.getRunId());
            } catch (IOException | SQLException | RuntimeException e) {
                failures.record(run, RunState.FailureKind.CONTENT, f.toString(), "waiting for a CSV layout, tried again: "
                        + e.getMessage());
            }
        }
    }

    private void ingest(ListedFile f, String runId) throws IOException, SQLException {
        if ("text/csv".equals(f.getContentType())) {
            ingest.csv(f, runId);
        } else if ("fastly".equals(f.getProvider())) {
            ingest.fastlyJson(f, runId);
        } else {
            ingest.json(f, runId);
        }
    }

    /** Marks the month and removes its lines, in one transaction: from here on it is rebuilt or marked. */
    private void empty(YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!exists(c, MONTH_MARKED, month)) {
                    update(c, "INSERT INTO ledger_rebuild_pending (billing_month) VALUES (?)", month);
                }
                update(c, "DELETE FROM ledger_line WHERE EXISTS (SELECT 1 FROM ledger_invoice i WHERE i.provider = ledger_line.provider"
                        + " AND i.account_id = ledger_line.account_id AND i.invoice_id = ledger_line.invoice_id"
                        + " AND i.source_type = ledger_line.source_type AND i.billing_month = ?)", month);
                update(c, "DELETE FROM ledger_invoice WHERE billing_month = ?", month);
                update(c, "DELETE FROM ledger_unmapped WHERE billing_month = ?", month);
                Ledger.markForExport(c, month.toString());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static final String FILE_COLUMNS = "h.provider, h.account_id, h.contract_id, h.invoice_id, h.invoice_type,"
            + " h.file_name, h.file_version, h.source_type, h.content_type, h.invoice_total, h.invoice_currency, h.stored_path,"
            + " h.billing_month";

    private List<ListedFile> storedDataFiles(YearMonth month) throws SQLException {
        return files("SELECT " + FILE_COLUMNS + " FROM harvested_file h WHERE h.billing_month = ?"
                + " AND h.content_type IN ('text/csv', 'application/json') ORDER BY h.delivered_at, h.provider, h.account_id,"
                + " h.invoice_id, h.source_type, h.content_type, h.file_version", month);
    }

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
                    f.setStored(Path.of(rs.getString(12)));
                    out.add(f);
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

    private void execute(String sql, YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            update(c, sql, month);
        }
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
