package io.invoiceharvester.state;

import java.sql.SQLException;

/** Small JDBC helpers shared by the state classes. */
final class Jdbc {

    private Jdbc() {
    }

    /** SQLState class 23: integrity constraint violation (a key recorded twice). */
    static boolean isDuplicateKey(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    /** A failed statement, described in one line (drivers append the statement on further lines). */
    static IllegalStateException failure(String what, SQLException e) {
        String message = String.valueOf(e.getMessage());
        int nl = message.indexOf('\n');
        return new IllegalStateException("state database: " + what + " failed ("
                + (nl < 0 ? message : message.substring(0, nl).replaceAll("[;:]\\s*SQL statement:?$", "")) + ")", e);
    }
}
