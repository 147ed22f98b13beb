package io.invoiceharvester.state;

import io.invoiceharvester.model.RunState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * One row per harvest run with its counts and exit code, and one per failure, written as it happens:
 * for operators and health checks. Times are the database's.
 */
public class RunHistory {

    private final DataSource dataSource;

    public RunHistory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record LastRun(String runId, int exitCode, OffsetDateTime finishedAt) {
    }

    /** The most recent finished run, or null. */
    public LastRun lastFinished() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT run_id, exit_code, finished_at FROM harvest_run WHERE finished_at IS NOT NULL ORDER BY finished_at DESC")) {
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new LastRun(rs.getString(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class)) : null;
            }
        } catch (SQLException e) {
            throw Jdbc.failure("reading the last run", e);
        }
    }

    public void started(RunState run) {
        String months = run.getRequest().months().stream().map(Object::toString).collect(Collectors.joining(","));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO harvest_run (run_id, run_trigger, months, started_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)")) {
            ps.setString(1, run.getRunId());
            ps.setString(2, run.getRequest().trigger());
            ps.setString(3, clip(months, 512));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("recording a run start", e);
        }
    }

    public void failed(String runId, int seq, RunState.Failure failure) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO run_failure (run_id, seq, kind, item, message) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, runId);
            ps.setInt(2, seq);
            ps.setString(3, failure.kind().name());
            ps.setString(4, clip(failure.item(), 1024));
            ps.setString(5, clip(failure.message(), 4000));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("recording a failure", e);
        }
    }

    public void finished(RunState run) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE harvest_run SET finished_at = CURRENT_TIMESTAMP, exit_code = ?, files_listed = ?, files_new = ?,"
                        + " files_failed = ?, bytes = ? WHERE run_id = ?")) {
            ps.setInt(1, run.exitCode());
            ps.setInt(2, run.getFilesListed());
            ps.setInt(3, run.getFilesStored());
            ps.setInt(4, run.getFailureCount());
            ps.setLong(5, run.getBytes());
            ps.setString(6, run.getRunId());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("recording a run result", e);
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
