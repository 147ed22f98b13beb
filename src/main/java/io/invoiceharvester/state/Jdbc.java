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

    static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("state database: " + what + " failed (" + e.getMessage() + ")", e);
    }
}
