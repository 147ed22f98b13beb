package io.invoiceharvester.state;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Fastly's month-to-date estimates (fastly_estimate), apart from posted invoices, and what the posted ones state. */
public class FastlyEstimates {

    private final DataSource dataSource;

    public FastlyEstimates(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The currency of the customer's newest posted invoice (the account id as stored), or null when none is known. */
    public String postedCurrency(String accountId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT invoice_currency"
                + " FROM harvested_file WHERE provider = 'fastly' AND account_id = ? AND invoice_currency IS NOT NULL"
                + " ORDER BY billing_month DESC, delivered_at DESC")) {
            ps.setString(1, accountId);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1).trim() : null;
            }
        }
    }

    /** The customer's estimate for the month, replacing the one stored before. */
    public void store(String customerId, String month, BigDecimal amount, String currency, String runId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Jdbc.inTransaction(c, tx -> {
                try (PreparedStatement del = tx.prepareStatement("DELETE FROM fastly_estimate WHERE customer_id = ? AND billing_month = ?");
                     PreparedStatement ins = tx.prepareStatement("INSERT INTO fastly_estimate (customer_id, billing_month, amount,"
                             + " currency, fetched_at, run_id) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, ?)")) {
                    del.setString(1, customerId);
                    del.setString(2, month);
                    del.executeUpdate();
                    ins.setString(1, customerId);
                    ins.setString(2, month);
                    ins.setBigDecimal(3, amount);
                    ins.setString(4, currency);
                    ins.setString(5, runId);
                    return ins.executeUpdate();
                }
            });
        }
    }
}
