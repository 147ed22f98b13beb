package io.invoiceharvester.ledger.table;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The ledger's sums as the run summary and the metrics show them: totals, top services, reconciliation flags. */
public class LedgerFigures {

    private final DataSource dataSource;

    public LedgerFigures(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Billed totals per currency of one account's month. */
    public Map<String, BigDecimal> totals(String provider, String account, YearMonth month) throws SQLException {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        query("SELECT l.billing_currency, SUM(l.billed_cost) FROM ledger_line l JOIN ledger_invoice i ON l.provider = i.provider"
                + " AND l.account_id = i.account_id AND l.invoice_id = i.invoice_id AND l.source_type = i.source_type"
                + " WHERE i.provider = ? AND i.account_id = ? AND i.billing_month = ? GROUP BY l.billing_currency"
                + " ORDER BY l.billing_currency", List.of(provider, account, month.toString()),
                rs -> out.put(rs.getString(1), rs.getBigDecimal(2)));
        return out;
    }

    /** Billed totals per currency of the ledger lines a run wrote. */
    public Map<String, BigDecimal> totalsOfRun(String runId) throws SQLException {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        query("SELECT l.billing_currency, SUM(l.billed_cost) FROM ledger_line l JOIN ledger_invoice i ON l.provider = i.provider"
                + " AND l.account_id = i.account_id AND l.invoice_id = i.invoice_id AND l.source_type = i.source_type"
                + " WHERE i.run_id = ? GROUP BY l.billing_currency ORDER BY l.billing_currency", List.of(runId),
                rs -> out.put(rs.getString(1), rs.getBigDecimal(2)));
        return out;
    }

    /** A month's billed cost of one provider in one currency. */
    public record MonthCost(YearMonth month, String provider, String currency, BigDecimal cost) {
    }

    /** Billed cost per month, provider and currency: the newest {@code months} months the ledger holds, oldest first. */
    public List<MonthCost> monthlyCosts(int months) throws SQLException {
        List<MonthCost> out = new ArrayList<>();
        String newest = newestMonth();
        if (newest == null) {
            return out;
        }
        String first = YearMonth.parse(newest).minusMonths(months - 1L).toString();
        query("SELECT i.billing_month, i.provider, l.billing_currency, SUM(l.billed_cost) FROM ledger_line l"
                + " JOIN ledger_invoice i ON l.provider = i.provider AND l.account_id = i.account_id"
                + " AND l.invoice_id = i.invoice_id AND l.source_type = i.source_type WHERE i.billing_month >= ?"
                + " GROUP BY i.billing_month, i.provider, l.billing_currency"
                + " ORDER BY i.billing_month, i.provider, l.billing_currency", List.of(first),
                rs -> out.add(new MonthCost(YearMonth.parse(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getBigDecimal(4))));
        return out;
    }

    private String newestMonth() throws SQLException {
        List<String> out = new ArrayList<>();
        query("SELECT MAX(billing_month) FROM ledger_invoice", List.of(), rs -> out.add(rs.getString(1)));
        return out.isEmpty() ? null : out.get(0);
    }

    public record ServiceCost(String service, String currency, BigDecimal cost) {
    }

    /** The most expensive services of one account's month. */
    public List<ServiceCost> topServices(String provider, String account, YearMonth month, int limit) throws SQLException {
        List<ServiceCost> out = new ArrayList<>();
        query("SELECT COALESCE(l.service_name, '(none)'), l.billing_currency, SUM(l.billed_cost) AS cost FROM ledger_line l"
                + " JOIN ledger_invoice i ON l.provider = i.provider AND l.account_id = i.account_id AND l.invoice_id = i.invoice_id"
                + " AND l.source_type = i.source_type WHERE i.provider = ? AND i.account_id = ? AND i.billing_month = ?"
                + " GROUP BY l.service_name, l.billing_currency ORDER BY cost DESC", List.of(provider, account, month.toString()),
                rs -> {
                    if (out.size() < limit) {
                        out.add(new ServiceCost(rs.getString(1), rs.getString(2), rs.getBigDecimal(3)));
                    }
                });
        return out;
    }

    /** Invoices of one account's month whose lines do not add up to their total. */
    public List<String> reconciliationFlags(String provider, String account, YearMonth month) throws SQLException {
        List<String> out = new ArrayList<>();
        query("SELECT DISTINCT invoice_id, reconciliation FROM ledger_invoice WHERE provider = ? AND account_id = ?"
                + " AND billing_month = ? AND reconciled = FALSE ORDER BY invoice_id", List.of(provider, account, month.toString()),
                rs -> out.add("invoice " + rs.getString(1) + ": " + rs.getString(2)));
        return out;
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private void query(String sql, List<String> params, RowHandler handler) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        }
    }
}
