package io.invoiceharvester.state;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Keeps a `once` from overlapping a scheduled run (or another `once`) on the same state database. The
 * holder renews a heartbeat; a lock whose holder died on this host, or whose heartbeat is older than
 * the lease, is taken over, so a killed run never blocks the next one for long.
 */
public class RunLock {

    static final Duration LEASE = Duration.ofMinutes(5);
    private static final String NAME = "harvest";

    private final DataSource dataSource;
    private final String host = hostName();
    private final long pid = ProcessHandle.current().pid();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harvester-run-lock");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> renewal;

    public RunLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return null when acquired, else who holds it (for the message) */
    public synchronized String acquire(String runId) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT run_id, host, pid, acquired_at, heartbeat_at FROM run_lock WHERE name = ? FOR UPDATE")) {
                ps.setString(1, NAME);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        String holderHost = rs.getString(2);
                        long holderPid = rs.getLong(3);
                        Instant beat = rs.getTimestamp(5).toInstant();
                        boolean deadHere = holderHost.equals(host) && ProcessHandle.of(holderPid).map(p -> !p.isAlive()).orElse(true);
                        boolean expired = beat.plus(LEASE).isBefore(Instant.now());
                        if (!deadHere && !expired) {
                            c.rollback();
                            return "run " + rs.getString(1) + " on " + holderHost + " (pid " + holderPid + ") since "
                                    + rs.getTimestamp(4).toInstant();
                        }
                        try (PreparedStatement del = c.prepareStatement("DELETE FROM run_lock WHERE name = ?")) {
                            del.setString(1, NAME);
                            del.executeUpdate();
                        }
                    }
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO run_lock (name, run_id, host, pid, acquired_at,"
                    + " heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                Timestamp now = Timestamp.from(Instant.now());
                ins.setString(1, NAME);
                ins.setString(2, runId);
                ins.setString(3, host);
                ins.setLong(4, pid);
                ins.setTimestamp(5, now);
                ins.setTimestamp(6, now);
                ins.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            if (Jdbc.isDuplicateKey(e)) {
                return "another run that started at the same moment";
            }
            throw Jdbc.failure("taking the run lock", e);
        }
        renewal = heartbeat.scheduleAtFixedRate(() -> beat(runId), 30, 30, TimeUnit.SECONDS);
        return null;
    }

    /** Releases the lock this process holds, if any (a process runs one harvest at a time). */
    public synchronized void release() {
        if (renewal != null) {
            renewal.cancel(false);
            renewal = null;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM run_lock WHERE name = ? AND host = ? AND pid = ?")) {
            ps.setString(1, NAME);
            ps.setString(2, host);
            ps.setLong(3, pid);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("releasing the run lock", e);
        }
    }

    private void beat(String runId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE run_lock SET heartbeat_at = ? WHERE name = ? AND run_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setString(2, NAME);
            ps.setString(3, runId);
            ps.executeUpdate();
        } catch (SQLException e) {
            // the next beat tries again; a lease is minutes long
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
