package io.invoiceharvester.state;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One harvest, or one state-changing operator command, at a time per state database. Judged by the
 * database's clock alone: the holder renews a heartbeat, and a lock whose heartbeat is older than the
 * lease (or whose holder died on this host) may be taken over. A heartbeat that updates no row means
 * the lock was taken over: the holder is told, and its release deletes only a row it still holds.
 */
public class RunLock {

    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private static final String NAME = "harvest";

    private final DataSource dataSource;
    private final Duration lease;
    private final String host = hostName();
    private final long pid = ProcessHandle.current().pid();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harvester-run-lock");
        t.setDaemon(true);
        return t;
    });

    /** Who holds the lock, as the database recorded it. */
    public record Holder(String holder, String host, long pid, OffsetDateTime since) {
        @Override
        public String toString() {
            return (holder.startsWith("operator:") ? holder : "run " + holder) + " on " + host + " (pid " + pid + ") since " + since;
        }
    }

    /** The lock is held by someone else. */
    public static class HeldException extends RuntimeException {
        private final transient Holder holder;

        public HeldException(Holder holder) {
            super("another harvest or operator command holds the run lock: " + holder);
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }
    }

    /** A held lock, renewed until closed. */
    public final class Lease implements AutoCloseable {
        private final String holder;
        private final ScheduledFuture<?> renewal;
        private volatile boolean lost;

        private Lease(String holder, Runnable onLost) {
            this.holder = holder;
            long every = Math.max(50, lease.toMillis() / 10);
            this.renewal = heartbeats.scheduleWithFixedDelay(() -> beat(onLost), every, every, TimeUnit.MILLISECONDS);
        }

        public boolean isLost() {
            return lost;
        }

        private void beat(Runnable onLost) {
            if (lost) {
                return;
            }
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE run_lock SET heartbeat_at = CURRENT_TIMESTAMP WHERE name = ? AND holder = ? AND host = ? AND pid = ?")) {
                bindHolder(ps, holder);
                if (ps.executeUpdate() == 0) {
                    lost = true;
                    renewal.cancel(false);
                    LOG.error("run lock lost: {} no longer holds it (taken over after a missed lease, or removed)", holder);
                    onLost.run();
                }
            } catch (SQLException | RuntimeException e) {
                // a beat that could not be written is tried again; the lease is many beats long
                LOG.warn("run lock heartbeat not written ({}); trying again", e.getMessage());
            }
        }

        /** Releases the lock if this holder still holds it; a lock taken over by another is left alone. */
        @Override
        public void close() {
            renewal.cancel(false);
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM run_lock WHERE name = ? AND holder = ? AND host = ? AND pid = ?")) {
                bindHolder(ps, holder);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw Jdbc.failure("releasing the run lock", e);
            }
        }
    }

    public RunLock(DataSource dataSource, Duration lease) {
        this.dataSource = dataSource;
        this.lease = lease;
    }

    /**
     * Takes the lock for this holder now.
     *
     * @param onLost told (once, on the heartbeat's thread) when the lock turns out to be taken over
     * @throws HeldException when another live holder has it
     */
    public Lease acquire(String holder, Runnable onLost) {
        Holder other = tryInsert(holder);
        if (other != null) {
            throw new HeldException(other);
        }
        return new Lease(holder, onLost);
    }

    /** Like {@link #acquire}, but waits up to {@code patience} for the holder to finish, telling who it waits for. */
    public Lease acquireWaiting(String holder, Duration patience, Consumer<Holder> waiting, Runnable onLost)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        long poll = Math.max(50, Math.min(5_000, lease.toMillis() / 10));
        Holder told = null;
        while (true) {
            Holder other = tryInsert(holder);
            if (other == null) {
                return new Lease(holder, onLost);
            }
            if (System.nanoTime() >= deadline) {
                throw new HeldException(other);
            }
            if (!other.equals(told)) {
                waiting.accept(other);
                told = other;
            }
            TimeUnit.MILLISECONDS.sleep(poll);
        }
    }

    /** Who holds the lock now (expired or not), for operators. */
    public Optional<Holder> current() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT holder, host, pid, acquired_at FROM run_lock WHERE name = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(holder(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Jdbc.failure("reading the run lock", e);
        }
    }

    /** @return null when inserted (taking over a dead or expired holder), else the live holder */
    private Holder tryInsert(String holder) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Holder other = liveHolder(c);
                if (other != null) {
                    c.rollback();
                    return other;
                }
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO run_lock (name, holder, host, pid, acquired_at,"
                        + " heartbeat_at) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
                    bindHolder(ins, holder);
                    ins.executeUpdate();
                }
                c.commit();
                return null;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            if (Jdbc.isDuplicateKey(e)) {
                return new Holder("another holder that started at the same moment", "?", 0, null);
            }
            throw Jdbc.failure("taking the run lock", e);
        }
    }

    /** The current holder if it is alive; a dead or expired one is removed in the caller's transaction. */
    private Holder liveHolder(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT holder, host, pid, acquired_at, CASE WHEN heartbeat_at"
                + " < CURRENT_TIMESTAMP - CAST(? AS INTEGER) * INTERVAL '1' SECOND THEN 1 ELSE 0 END"
                + " FROM run_lock WHERE name = ? FOR UPDATE")) {
            ps.setLong(1, Math.max(1, lease.toSeconds()));
            ps.setString(2, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Holder h = holder(rs);
                boolean expired = rs.getInt(5) == 1;
                boolean deadHere = h.host().equals(host) && ProcessHandle.of(h.pid()).map(p -> !p.isAlive()).orElse(true);
                if (!expired && !deadHere) {
                    return h;
                }
                LOG.warn("taking over the run lock from {}: {}", h, deadHere ? "its process is gone" : "its heartbeat stopped");
            }
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM run_lock WHERE name = ?")) {
            del.setString(1, NAME);
            del.executeUpdate();
        }
        return null;
    }

    private static Holder holder(ResultSet rs) throws SQLException {
        return new Holder(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getObject(4, OffsetDateTime.class));
    }

    private void bindHolder(PreparedStatement ps, String holder) throws SQLException {
        ps.setString(1, NAME);
        ps.setString(2, holder);
        ps.setString(3, host);
        ps.setLong(4, pid);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
