package io.invoiceharvester.state;

import io.invoiceharvester.model.LockLostException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The state database as every bean that writes sees it: once this process has taken the run lock, a
 * transaction that writes commits only while that lock is still its own. The lock row's token, which
 * changes with every take, is checked in the same transaction, just before the commit
 * (`UPDATE run_lock SET token = token WHERE … AND token = ?`): the update waits for a taker that holds the row
 * and finds nothing once another took it, so a write of a run that lost its lock rolls back with a
 * LockLostException. One lock at a time per process, so the fence is the lease taken last; a lease released
 * stays the fence, and a straggling write after its run ended fails too. Before the first lease (a test, a
 * command that only reads) nothing is fenced.
 * <p>
 * Every write goes through here by construction: the beans get no other DataSource (RunLock's own rows and
 * Quartz's tables use the unfenced one). A transaction writes when it prepared a statement other than a query;
 * in auto-commit mode each such statement commits at once, fenced.
 */
final class FencedDataSource implements DataSource {

    private static final Pattern QUERY = Pattern.compile("^\\s*(?:\\(\\s*)*(SELECT|VALUES|SHOW|EXPLAIN|WITH)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WRITES = Pattern.compile("\\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\\b", Pattern.CASE_INSENSITIVE);
    private static final Set<String> EXECUTIONS = Set.of("execute", "executeUpdate", "executeLargeUpdate", "executeBatch",
            "executeLargeBatch");

    private final DataSource raw;
    private volatile RunLock.Lease fence;

    FencedDataSource(DataSource raw) {
        this.raw = raw;
    }

    /** The lease this process took last: from now on, its token fences every write. */
    void fencedBy(RunLock.Lease lease) {
        this.fence = lease;
    }

    /** Before a file write of a run (the drop, an export's rename, the outbox): the lock is still this process's own. */
    void check() {
        RunLock.Lease lease = fence;
        if (lease == null) {
            return;
        }
        try (Connection c = raw.getConnection()) {
            Jdbc.inTransaction(c, t -> {
                lease.check(t);
                return null;
            });
        } catch (SQLException e) {
            throw Jdbc.failure("checking the run lock", e);
        }
    }

    static boolean writes(String sql) {
        return !QUERY.matcher(sql).find() || WRITES.matcher(sql).find() && sql.trim().toUpperCase(Locale.ROOT).startsWith("WITH");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return fenced(raw.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return fenced(raw.getConnection(username, password));
    }

    private Connection fenced(Connection real) throws SQLException {
        try {
            real.setAutoCommit(false);
        } catch (SQLException e) {
            real.close();
            throw e;
        }
        Transaction tx = new Transaction(real);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, tx);
    }

    /** One connection's transactions: the caller's auto-commit mode kept here, the real connection never in it. */
    private final class Transaction implements InvocationHandler {
        private final Connection real;
        private boolean autoCommit = true;
        /** A statement other than a query was prepared on this connection: its commits are fenced. */
        private boolean mayWrite;
        /** A write was executed since the last commit. */
        private boolean wrote;

        Transaction(Connection real) {
            this.real = real;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "getAutoCommit":
                    return autoCommit;
                case "setAutoCommit":
                    boolean on = (Boolean) args[0];
                    if (on && !autoCommit) {
                        commit();
                    }
                    autoCommit = on;
                    return null;
                case "commit":
                    commit();
                    return null;
                case "rollback":
                    if (args == null) {
                        real.rollback();
                        wrote = false;
                        return null;
                    }
                    break;
                case "close":
                    close();
                    return null;
                case "prepareStatement":
                case "prepareCall":
                    return prepared(method, args, (Connection) proxy);
                case "createStatement":
                    return statement((Statement) call(real, method, args), Statement.class, false, (Connection) proxy);
                case "unwrap":
                    return ((Class<?>) args[0]).isInstance(proxy) ? proxy : real.unwrap((Class<?>) args[0]);
                case "isWrapperFor":
                    return ((Class<?>) args[0]).isInstance(proxy) || real.isWrapperFor((Class<?>) args[0]);
                default:
                    break;
            }
            return call(real, method, args);
        }

        private Object prepared(Method method, Object[] args, Connection connection) throws Throwable {
            PreparedStatement statement = (PreparedStatement) call(real, method, args);
            if (!writes((String) args[0])) {
                return statement;
            }
            mayWrite = true;
            // in a transaction the real statement (no cost per row): the commit is fenced; in auto-commit mode each
            // execution commits at once, fenced
            return autoCommit ? statement(statement, method.getReturnType(), true, connection) : statement;
        }

        /** A statement whose writes commit at once, fenced, while the connection is in auto-commit mode. */
        private Object statement(Statement statement, Class<?> shape, boolean writing, Connection connection) {
            return Proxy.newProxyInstance(shape.getClassLoader(), new Class<?>[] {shape}, (p, m, a) -> {
                if (m.getName().equals("getConnection")) {
                    return connection;
                }
                boolean write = EXECUTIONS.contains(m.getName())
                        && (writing || a != null && a.length > 0 && a[0] instanceof String sql && writes(sql));
                if (write) {
                    mayWrite = true;
                }
                Object result = call(statement, m, a);
                if (write) {
                    wrote = true;
                    if (autoCommit) {
                        commit();
                    }
                }
                return result;
            });
        }

        private void commit() throws SQLException {
            RunLock.Lease lease = fence;
            if (lease != null && (wrote || mayWrite)) {
                try {
                    lease.check(real);
                } catch (LockLostException e) {
                    real.rollback();
                    wrote = false;
                    throw e;
                }
            }
            real.commit();
            wrote = false;
        }

        private void close() throws SQLException {
            try {
                if (autoCommit) {
                    commit(); // the reads of auto-commit mode, and a write of a statement prepared in a transaction
                } else {
                    real.rollback(); // what the caller neither committed nor rolled back
                }
                real.setAutoCommit(true);
            } finally {
                real.close();
            }
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return raw.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        raw.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        raw.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return raw.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return raw.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : raw.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || raw.isWrapperFor(iface);
    }
}
