package io.invoiceharvester.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/** What the state database knows, read for operators (status, history, invoices): no statement changes it. */
public class StateReport {

    /** One run, as history lists it. */
    public record Run(String runId, String trigger, String months, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                      Integer exitCode, Integer filesListed, Integer filesStored, Integer filesFailed, Long bytes) {

        /** filesStored under its name before 2026-12: scripts read it from status and history --json. */
        @Deprecated
        @JsonProperty("filesNew")
        public Integer filesNew() {
            return filesStored;
        }
    }

    public record Failure(int seq, String kind, String item, String message) {
    }

    /** One stored file with what became of it. */
    public record StoredFile(String provider, String accountId, String month, String invoiceId, String invoiceType,
                             String sourceType, String contentType, String version, String fileName, String archivedPath,
                             OffsetDateTime deliveredAt, OffsetDateTime droppedAt, String runId, Integer ledgerLines,
                             Boolean reconciled, String reconciliation, BigDecimal invoiceTotal, String currency) {
    }

    /** What waits for a later run or for an operator. */
    public record Waiting(long pendingDrops, long unmappedCsvs, long unavailableFiles, List<String> exportPendingMonths,
                          List<String> rebuildPendingMonths) {
    }

    /**
     * What the alert rules watch, every time from the database's clock: the last successful run, the
     * failed runs since (a run that never finished and holds no lock counts), the run in progress and
     * the lock's lease, the finished runs by exit code, and what waits.
     */
    public record Vitals(OffsetDateTime now, OffsetDateTime lastSuccess, Run lastFinished, long failedSinceSuccess, OffsetDateTime runningSince, OffsetDateTime lockExpires, boolean lockHeld,
                         Map<Integer, Long> finishedByExitCode, long unfinished, long quarantined, Waiting waiting) {
    }

    /** Filters of the invoices command; null means any. */
    public record InvoiceFilter(String provider, String account, String month, String invoice) {
    }

    private final DataSource dataSource;

    public StateReport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private static final String RUN_COLUMNS = "run_id, run_trigger, months, started_at, finished_at, exit_code, files_listed,"
            + " files_new, files_failed, bytes FROM harvest_run";

    public List<Run> runs(int limit, boolean failedOnly) throws SQLException {
        String sql = "SELECT " + RUN_COLUMNS + (failedOnly ? " WHERE exit_code IS NULL OR exit_code <> 0" : "")
                + " ORDER BY started_at DESC, run_id";
        List<Run> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && out.size() < limit) {
                    out.add(run(rs));
                }
            }
        }
        return out;
    }

    public Run run(String runId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
                + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? run(rs) : null;
            }
        }
    }

    public List<Failure> failures(String runId) throws SQLException {
        List<Failure> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT seq, kind, item, message FROM run_failure WHERE run_id = ? ORDER BY seq")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Failure(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return out;
    }

    /** Stored files, newest first, of one run or matching a filter. */
    public List<StoredFile> files(String runId, InvoiceFilter filter) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<String> params = new ArrayList<>();
        add(where, params, "f.run_id", runId);
        if (filter != null) {
            add(where, params, "f.provider", filter.provider());
            add(where, params, "f.account_id", filter.account());
            add(where, params, "f.billing_month", filter.month());
            add(where, params, "f.invoice_id", filter.invoice());
        }
        String sql = "SELECT f.provider, f.account_id, f.billing_month, f.invoice_id, f.invoice_type, f.source_type,"
                + " f.content_type, f.file_version, f.file_name, f.stored_path, f.delivered_at, f.dropped_at, f.run_id,"
                + " i.line_count, i.reconciled, i.reconciliation, f.invoice_total, f.invoice_currency, i.file_version"
                + " FROM harvested_file f LEFT JOIN ledger_invoice i ON i.provider = f.provider AND i.account_id = f.account_id"
                + " AND i.invoice_id = f.invoice_id AND i.source_type = f.source_type" + where
                + " ORDER BY f.billing_month DESC, f.provider, f.account_id, f.invoice_id, f.delivered_at, f.content_type";
        List<StoredFile> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean data = !"application/pdf".equals(rs.getString(7));
                    // ledger figures belong to the data file whose version the ledger holds
                    boolean inLedger = data && rs.getString(8).equals(rs.getString(19));
                    out.add(new StoredFile(rs.getString(1), rs.getString(2), rs.getString(3).trim(), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getObject(11, OffsetDateTime.class), rs.getObject(12, OffsetDateTime.class), rs.getString(13),
                            inLedger ? (Integer) rs.getObject(14, Integer.class) : null,
                            inLedger ? (Boolean) rs.getObject(15, Boolean.class) : null, inLedger ? rs.getString(16) : null,
                            rs.getBigDecimal(17), rs.getString(18)));
                }
            }
        }
        return out;
    }

    public Waiting waiting() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return new Waiting(count(c, "SELECT COUNT(*) FROM harvested_file WHERE content_type = 'application/pdf'"
                    + " AND dropped_at IS NULL"), count(c, "SELECT COUNT(*) FROM ledger_unmapped"),
                    count(c, "SELECT COUNT(*) FROM unavailable_file"),
                    months(c, "SELECT billing_month FROM ledger_export_pending ORDER BY billing_month"),
                    months(c, "SELECT billing_month FROM ledger_rebuild_pending ORDER BY billing_month"));
        }
    }

    public Vitals vitals() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            OffsetDateTime now = time(c, "SELECT CURRENT_TIMESTAMP");
            OffsetDateTime lastSuccess = time(c, "SELECT MAX(finished_at) FROM harvest_run WHERE exit_code = 0");
            OffsetDateTime lastSuccessStart = time(c, "SELECT MAX(started_at) FROM harvest_run WHERE exit_code = 0");
            Run lastFinished = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " WHERE finished_at IS NOT NULL"
                    + " ORDER BY finished_at DESC, run_id")) {
                ps.setMaxRows(1);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        lastFinished = run(rs);
                    }
                }
            }
            String notRunning = " AND run_id NOT IN (SELECT holder FROM run_lock)";
            long failed;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM harvest_run WHERE (exit_code IS NULL OR exit_code <> 0)"
                    + notRunning + (lastSuccessStart == null ? "" : " AND started_at > ?"))) {
                if (lastSuccessStart != null) {
                    ps.setObject(1, lastSuccessStart);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    failed = rs.getLong(1);
                }
            }
            OffsetDateTime runningSince = time(c, "SELECT MIN(r.started_at) FROM harvest_run r JOIN run_lock l ON l.holder = r.run_id"
                    + " WHERE r.finished_at IS NULL");
            boolean lockHeld = count(c, "SELECT COUNT(*) FROM run_lock") > 0;
            OffsetDateTime lockExpires = time(c, "SELECT MAX(expires_at) FROM run_lock");
            Map<Integer, Long> byExitCode = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT exit_code, COUNT(*) FROM harvest_run WHERE finished_at IS NOT NULL"
                    + " GROUP BY exit_code"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byExitCode.put(rs.getInt(1), rs.getLong(2));
                }
            }
            long unfinished = count(c, "SELECT COUNT(*) FROM harvest_run WHERE finished_at IS NULL" + notRunning);
            long quarantined = count(c, "SELECT COUNT(*) FROM quarantined_file WHERE discarded_at IS NULL");
            return new Vitals(now, lastSuccess, lastFinished, failed, runningSince, lockExpires, lockHeld, byExitCode,
                    unfinished, quarantined, waiting());
        }
    }

    private static OffsetDateTime time(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
        }
    }

    private static void add(StringBuilder where, List<String> params, String column, String value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    private static Run run(ResultSet rs) throws SQLException {
        return new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class),
                rs.getObject(5, OffsetDateTime.class), (Integer) rs.getObject(6, Integer.class),
                (Integer) rs.getObject(7, Integer.class), (Integer) rs.getObject(8, Integer.class),
                (Integer) rs.getObject(9, Integer.class), (Long) rs.getObject(10, Long.class));
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> months(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1).trim());
            }
        }
        return out;
    }
}
