package io.invoiceharvester.state;

import io.invoiceharvester.run.RunReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** One row per harvest run with its counts and exit code, and its failures: for operators and health checks. */
public class RunHistory {

    private final DataSource dataSource;

    public RunHistory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record LastRun(String runId, int exitCode, java.time.Instant finishedAt) {
    }

    /** The most recent finished run, or null. */
    public LastRun lastFinished() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT run_id, exit_code, finished_at FROM harvest_run WHERE finished_at IS NOT NULL ORDER BY finished_at DESC")) {
            ps.setMaxRows(1);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new LastRun(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant()) : null;
            }
        } catch (SQLException e) {
            throw Jdbc.failure("reading the last run", e);
        }
    }

    public void started(RunReport run) {
        String months = run.getRequest().months().stream().map(Object::toString).collect(Collectors.joining(","));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO harvest_run (run_id, run_trigger, months, started_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, run.getRunId());
            ps.setString(2, run.getRequest().trigger());
            ps.setString(3, months.length() > 512 ? months.substring(0, 509) + "..." : months);
            ps.setTimestamp(4, Timestamp.from(run.getStartedAt()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("recording a run start", e);
        }
    }

    public void finished(RunReport run) {
        List<RunReport.Failure> failures = run.getFailures();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE harvest_run SET finished_at = ?, exit_code = ?,"
                    + " files_listed = ?, files_new = ?, files_failed = ?, bytes = ? WHERE run_id = ?");
                 PreparedStatement pf = c.prepareStatement(
                         "INSERT INTO run_failure (run_id, seq, kind, item, message) VALUES (?, ?, ?, ?, ?)")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setInt(2, run.exitCode());
                ps.setInt(3, run.getFilesListed());
                ps.setInt(4, run.getFilesNew());
                ps.setInt(5, failures.size());
                ps.setLong(6, run.getBytes());
                ps.setString(7, run.getRunId());
                ps.executeUpdate();
                int seq = 0;
                for (RunReport.Failure f : failures) {
                    pf.setString(1, run.getRunId());
                    pf.setInt(2, seq++);
                    pf.setString(3, f.kind().name());
                    pf.setString(4, clip(f.item(), 1024));
                    pf.setString(5, clip(f.message(), 4000));
                    pf.addBatch();
                }
                pf.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw Jdbc.failure("recording a run result", e);
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
