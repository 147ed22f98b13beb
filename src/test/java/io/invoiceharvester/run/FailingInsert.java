package io.invoiceharvester.run;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/** An H2 trigger standing in for a database error: refuses to record the file of one invoice. */
public class FailingInsert implements Trigger {

    static final String INVOICE = "1234567890";

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (INVOICE.equals(newRow[3])) {
            throw new SQLException("the database refuses this row (test)", "57P01");
        }
    }
}
