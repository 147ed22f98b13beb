package io.invoiceharvester.fastly;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.delivery.FileNames;
import io.invoiceharvester.http.CappedInput;
import io.invoiceharvester.ledger.Amounts;
import io.invoiceharvester.ledger.IsoDates;
import io.invoiceharvester.ledger.Ledger;
import io.invoiceharvester.model.RunState;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The current month's estimate: stored apart from posted invoices and never in the ledger's billed
 * totals. 202 (being computed) and 422 mean "not ready", 404 "no estimate for this account": neither is a
 * failure. Its published shape states no currency: the account's posted invoices say which it is.
 */
public class MonthToDate {

    /** An estimate for the summary; amount null when it was not ready. */
    public record Estimate(String customerId, String month, BigDecimal amount, String currency, String note) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final DataSource dataSource;

    public MonthToDate(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Reads the estimate, stores it, and notes it in the run's summary. */
    public Estimate read(RunState run, InputStream body,
                         int status) throws IOException, SQLException {
        Estimate e = estimate(body, status);
        if (e.amount() == null) {
            run.note("Fastly month-to-date: " + e.note());
            return e;
        }
        // the estimate's published shape has no currency: the account's posted invoices state it
        String posted = e.currency() == null ? postedCurrency(e.customerId()) : null;
        Estimate stored = posted == null ? e : new Estimate(e.customerId(), e.month(), e.amount(), posted, null);
        store(stored, run.getRunId());
        run.note("Fastly customer " + e.customerId() + ", " + e.month() + ": " + Ledger.money(e.amount())
                + (stored.currency() == null ? " so far (currency not stated; " : " " + stored.currency() + " so far ("
                + (posted != null ? "the currency of its posted invoices; " : ""))
                + "an estimate, not billed; not in the totals)");
        return stored;
    }

    private static Estimate estimate(InputStream body, int status) throws IOException {
        if (status == 404) {
            return new Estimate(null, null, null, null, "no estimate for this account (HTTP 404)");
        }
        if (status != 200) {
            return new Estimate(null, null, null, null, "not ready yet (HTTP " + status + ")");
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(new CappedInput(body, CappedInput.LIST_MAX_BYTES));
        } catch (CappedInput.TooLargeException e) {
            return new Estimate(null, null, null, null, "unusable (" + e.getMessage() + ")");
        }
        JsonNode amountNode = json.path("monthly_transaction_amount");
        String start = json.path("billing_start_date").asText("");
        if (amountNode.isMissingNode() || amountNode.isNull() || start.length() < 7) {
            return new Estimate(null, null, null, null, "not ready yet (no amount)");
        }
        String month = IsoDates.utcMonth(start);
        if (month == null) {
            return new Estimate(null, null, null, null, "unusable (billing_start_date is not a date)");
        }
        // documented as a string here, a number elsewhere: either is read exactly, within the ledger's bounds
        BigDecimal amount;
        try {
            amount = Amounts.of(amountNode);
        } catch (NumberFormatException e) {
            return new Estimate(null, null, null, null, "unusable (monthly_transaction_amount " + e.getMessage() + ")");
        }
        String currency = json.path("currency_code").isTextual() ? json.get("currency_code").asText() : null;
        return new Estimate(json.path("customer_id").asText(""), month, amount, currency, null);
    }

    /** The currency of the customer's newest posted invoice, or null when none is known. */
    private String postedCurrency(String customerId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT invoice_currency"
                + " FROM harvested_file WHERE provider = 'fastly' AND account_id = ? AND invoice_currency IS NOT NULL"
                + " ORDER BY billing_month DESC, delivered_at DESC")) {
            ps.setString(1, FileNames.sanitize(customerId));
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1).trim() : null;
            }
        }
    }

    private void store(Estimate e, String runId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM fastly_estimate WHERE customer_id = ? AND billing_month = ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO fastly_estimate (customer_id, billing_month, amount,"
                         + " currency, fetched_at, run_id) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, ?)")) {
                del.setString(1, e.customerId());
                del.setString(2, e.month());
                del.executeUpdate();
                ins.setString(1, e.customerId());
                ins.setString(2, e.month());
                ins.setBigDecimal(3, e.amount());
                ins.setString(4, e.currency());
                ins.setString(5, runId);
                ins.executeUpdate();
            }
            c.commit();
        }
    }
}
