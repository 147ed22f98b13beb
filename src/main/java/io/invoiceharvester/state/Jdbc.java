package io.invoiceharvester.state;

import java.sql.Connection;
import java.sql.SQLException;

/** Small JDBC helpers shared by the state and ledger classes. */
public final class Jdbc {

    private Jdbc() {
    }

    /**
     * A key recorded twice: SQLState 23505, unique violation, on H2 and PostgreSQL alike. The rest of class
     * 23 (a missing value, a broken reference) is a real failure, not "already there".
     */
    public static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** A value the database refuses (SQLState class 22: too long, out of range, an invalid character). */
    public static boolean isDataError(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }

    /** Statements run in one transaction. */
    public interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    /**
     * The work in one transaction on the connection: committed when it returns, rolled back when it throws; the
     * connection's autocommit is as it was afterwards.
     */
    public static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.on(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** A failed statement, described in one line (drivers append the statement on further lines). */
    static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("state database: " + what + " failed (" + firstLine(e) + ")", e);
    }

    /** The driver's message, its first line (drivers append the statement on further lines). */
    public static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).replaceAll("[;:]\\s*SQL statement:?$", "");
    }
}
