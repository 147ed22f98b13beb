package io.invoiceharvester.fastly;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.delivery.FileNames;
import io.invoiceharvester.http.CappedInput;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.FastlyEstimates;
import io.invoiceharvester.values.Amounts;
import io.invoiceharvester.values.IsoDates;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.sql.SQLException;

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

    private final FastlyEstimates estimates;

    public MonthToDate(FastlyEstimates estimates) {
        this.estimates = estimates;
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
        String posted = e.currency() == null ? estimates.postedCurrency(FileNames.sanitize(e.customerId())) : null;
        Estimate stored = posted == null ? e : new Estimate(e.customerId(), e.month(), e.amount(), posted, null);
        estimates.store(stored.customerId(), stored.month(), stored.amount(), stored.currency(), run.getRunId());
        run.note("Fastly customer " + e.customerId() + ", " + e.month() + ": " + Amounts.money(e.amount())
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
}
