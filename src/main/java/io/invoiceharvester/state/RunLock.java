package io.invoiceharvester.state;

import io.invoiceharvester.model.LockLostException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
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
 * database's clock and the holder's own lease: with every heartbeat the holder writes when its lease ends
 * (expires_at), and a taker may take over only a lock past that time, or one whose holder is proven dead
 * on this very machine by the kernel's own ids and ticks (ProcessIdentity), never by a wall clock. A heartbeat
 * that updates no row means the lock was taken over: the holder is told, and its release deletes only a row
 * it still holds. Every take writes a new token into the row, and every write of the holder is fenced by it
 * (FencedDataSource): a holder that lost its lock writes nothing more.
 */
public class RunLock {

    /** Made on the first message: `status` reads the lock without starting the logging system (0.4 s). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    }
    private static final String NAME = "harvest";
    /** When a lease written now ends, by the database's clock. */
    private static final String LEASE_END = "CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND";

    private final StateDatabase state;
    private final DataSource dataSource;
    private final Duration lease;
    private final String host = hostName();
    private final Path proc;
    private final ProcessIdentity self;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harvester-run-lock");
        t.setDaemon(true);
        return t;
    });

    /** Who holds the lock, as the database recorded it, and when its lease ends unless renewed. */
    public record Holder(String holder, String host, long pid, OffsetDateTime since, OffsetDateTime expiresAt) {
        @Override
        public String toString() {
            return (holder.startsWith("operator:") ? holder : "run " + holder) + " on " + host + " (pid " + pid + ") since " + since
                    + (expiresAt == null ? "" : ", lease until " + expiresAt);
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
        private final String token;
        private final ScheduledFuture<?> renewal;
        private volatile boolean lost;

        private Lease(String holder, String token, Runnable onLost) {
            this.holder = holder;
            this.token = token;
            long every = Math.max(50, lease.toMillis() / 10);
            this.renewal = heartbeats.scheduleWithFixedDelay(() -> beat(onLost), every, every, TimeUnit.MILLISECONDS);
            state.fencedBy(this);
        }

        public boolean isLost() {
            return lost;
        }

        /**
         * The fence of a write, in the writer's transaction just before its commit: the lock row still carries this
         * take's token. The update waits for a taker holding the row, and finds nothing once another took it.
         *
         * @throws LockLostException when the lock is no longer this holder's
         */
        void check(Connection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("UPDATE run_lock SET token = token WHERE name = ? AND holder = ?"
                    + " AND host = ? AND pid = ? AND token = ?")) {
                bindHolder(ps, 1, holder);
                ps.setString(5, token);
                if (ps.executeUpdate() == 0) {
                    throw new LockLostException(holder);
                }
            }
        }

        private void beat(Runnable onLost) {
            if (lost) {
                return;
            }
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE run_lock SET heartbeat_at = CURRENT_TIMESTAMP, expires_at = " + LEASE_END
                            + " WHERE name = ? AND holder = ? AND host = ? AND pid = ?")) {
                ps.setLong(1, leaseSeconds());
                bindHolder(ps, 2, holder);
                if (ps.executeUpdate() == 0) {
                    lost = true;
                    renewal.cancel(false);
                    Log.LOG.error("run lock lost: {} no longer holds it (taken over after a missed lease, or removed)", holder);
                    onLost.run();
                }
            } catch (SQLException | RuntimeException e) {
                // a beat that could not be written is tried again; the lease is many beats long
                Log.LOG.warn("run lock heartbeat not written ({}); trying again", e.getMessage());
            }
        }

        /** Releases the lock if this holder still holds it; a lock taken over by another is left alone. */
        @Override
        public void close() {
            renewal.cancel(false);
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM run_lock WHERE name = ? AND holder = ? AND host = ? AND pid = ?")) {
                bindHolder(ps, 1, holder);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw Jdbc.failure("releasing the run lock", e);
            }
        }
    }

    public RunLock(StateDatabase state, Duration lease) {
        this(state, lease, ProcessIdentity.PROC);
    }

    /** @param proc where the kernel's process table is read: /proc, or a stand-in of it (tests) */
    public RunLock(StateDatabase state, Duration lease, Path proc) {
        this.state = state;
        this.dataSource = state.unfencedDataSource();
        this.lease = lease;
        this.proc = proc;
        this.self = ProcessIdentity.current(proc);
    }

    /**
     * Takes the lock for this holder now.
     *
     * @param onLost told (once, on the heartbeat's thread) when the lock turns out to be taken over
     * @throws HeldException when another live holder has it
     */
    public Lease acquire(String holder, Runnable onLost) {
        String token = UUID.randomUUID().toString();
        Holder other = tryInsert(holder, token);
        if (other != null) {
            throw new HeldException(other);
        }
        return new Lease(holder, token, onLost);
    }

    /** Like {@link #acquire}, but waits up to {@code patience} for the holder to finish, telling who it waits for. */
    public Lease acquireWaiting(String holder, Duration patience, Consumer<Holder> waiting, Runnable onLost)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        long poll = Math.max(50, Math.min(5_000, lease.toMillis() / 10));
        Holder told = null;
        while (true) {
            String token = UUID.randomUUID().toString();
            Holder other = tryInsert(holder, token);
            if (other == null) {
                return new Lease(holder, token, onLost);
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

    /**
     * Before a file write of a run (the archive, the drop, the quarantine, the outbox, an export): the lock this
     * process took last is still its own; a route calls it just before the write.
     *
     * @throws LockLostException when another process took it over
     */
    public void checkFence() {
        state.checkFence();
    }

    /** Who holds the lock now (expired or not), for operators. */
    public Optional<Holder> current() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT holder, host, pid, acquired_at, expires_at FROM run_lock WHERE name = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(holder(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Jdbc.failure("reading the run lock", e);
        }
    }

    /** @return null when inserted (taking over a dead or expired holder), else the live holder */
    private Holder tryInsert(String holder, String token) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Holder other = liveHolder(c);
                if (other != null) {
                    c.rollback();
                    return other;
                }
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO run_lock (name, holder, host, pid, acquired_at,"
                        + " heartbeat_at, expires_at, boot_id, pid_namespace, process_started, token) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP,"
                        + " CURRENT_TIMESTAMP, " + LEASE_END + ", ?, ?, ?, ?)")) {
                    bindHolder(ins, 1, holder);
                    ins.setLong(5, leaseSeconds());
                    ins.setString(6, self.bootId());
                    ins.setString(7, self.pidNamespace());
                    ins.setString(8, self.started());
                    ins.setString(9, token);
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
                return new Holder("another holder that started at the same moment", "?", 0, null, null);
            }
            throw Jdbc.failure("taking the run lock", e);
        }
    }

    /**
     * The current holder if it is alive; a dead or expired one is removed in the caller's transaction. A lock
     * is expired when the database's clock is past the end of the lease its holder wrote (a holder of a
     * version that wrote none: its heartbeat plus this taker's lease).
     */
    private Holder liveHolder(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT holder, host, pid, acquired_at, expires_at, CASE WHEN"
                + " COALESCE(expires_at, heartbeat_at + CAST(? AS INTEGER) * INTERVAL '1' SECOND) < CURRENT_TIMESTAMP THEN 1 ELSE 0 END,"
                + " boot_id, pid_namespace, process_started FROM run_lock WHERE name = ? FOR UPDATE")) {
            ps.setLong(1, leaseSeconds());
            ps.setString(2, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Holder h = holder(rs);
                boolean expired = rs.getInt(6) == 1;
                boolean dead = self.provesDead(new ProcessIdentity(rs.getString(7), rs.getString(8), h.pid(), rs.getString(9)), proc);
                if (!expired && !dead) {
                    return h;
                }
                Log.LOG.warn("taking over the run lock from {}: {}", h, dead ? "its process is gone (same machine, boot and PID"
                        + " namespace, and its PID free or started at another kernel tick)" : "its lease ended without a heartbeat");
            }
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM run_lock WHERE name = ?")) {
            del.setString(1, NAME);
            del.executeUpdate();
        }
        return null;
    }

    private static Holder holder(ResultSet rs) throws SQLException {
        return new Holder(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getObject(4, OffsetDateTime.class),
                rs.getObject(5, OffsetDateTime.class));
    }

    private void bindHolder(PreparedStatement ps, int first, String holder) throws SQLException {
        ps.setString(first, NAME);
        ps.setString(first + 1, holder);
        ps.setString(first + 2, host);
        ps.setLong(first + 3, self.pid());
    }

    /** The lease in whole seconds (the database's interval arithmetic), at least one. */
    private long leaseSeconds() {
        return Math.max(1, (lease.toMillis() + 999) / 1000);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
