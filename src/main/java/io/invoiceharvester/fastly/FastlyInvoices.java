package io.invoiceharvester.fastly;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.akamai.MalformedListException;
import io.invoiceharvester.delivery.FileNames;
import io.invoiceharvester.http.CappedInput;
import io.invoiceharvester.ledger.Amounts;
import io.invoiceharvester.run.FileTask;
import io.invoiceharvester.run.ListTask;
import io.invoiceharvester.run.RunItem;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/** Reads a page of Fastly's invoice list into one task per invoice, and moves the cursor loop on. */
public class FastlyInvoices {

    public static final String SOURCE_TYPE = "BILLING_V3";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public FastlyPages newPages() {
        return new FastlyPages();
    }

    public List<FileTask> page(@ExchangeProperty(RunItem.ITEM) ListTask listing, @ExchangeProperty("fastlyPages") FastlyPages pages,
                               @Body InputStream body) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(new CappedInput(body, CappedInput.LIST_MAX_BYTES));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw malformed(listing, "the response is not JSON (" + e.getOriginalMessage() + ")");
        } catch (CappedInput.TooLargeException e) {
            throw malformed(listing, e.getMessage());
        }
        if (root == null || !root.path("data").isArray()) {
            throw malformed(listing, "expected an object with a data array");
        }
        List<FileTask> out = new ArrayList<>();
        for (JsonNode invoice : root.get("data")) {
            out.add(task(listing, invoice));
        }
        JsonNode next = root.path("meta").path("next_cursor");
        pages.advance(next.isTextual() ? next.asText() : null);
        return out;
    }

    private static FileTask task(ListTask listing, JsonNode invoice) {
        String id = invoice.path("invoice_id").asText("");
        String customer = invoice.path("customer_id").asText("");
        String start = invoice.path("billing_start_date").asText("");
        if (!id.matches("\\d{1,19}") || customer.isBlank() || start.length() < 7) {
            throw malformed(listing, "an invoice lacks invoice_id, customer_id or billing_start_date");
        }
        String month = month(start);
        if (month == null) {
            throw malformed(listing, "invoice " + id + ": billing_start_date '" + clip(start) + "' is not a date (YYYY-MM-DD...)");
        }
        BigDecimal total;
        try {
            total = Amounts.of(invoice.get("monthly_transaction_amount"));
        } catch (NumberFormatException e) {
            throw malformed(listing, "invoice " + id + ": monthly_transaction_amount " + e.getMessage());
        }
        String fileName = "invoice-" + id + ".json";
        FileTask task = new FileTask(listing, month, FileNames.sanitize(customer), "-", id, "INVOICE",
                fileName, fileName, null, SOURCE_TYPE, "application/json", null, total,
                invoice.path("currency_code").isTextual() ? invoice.get("currency_code").asText() : null);
        task.setListFingerprint(sha256(invoice));
        return task;
    }

    private static String sha256(JsonNode node) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(MAPPER.writeValueAsBytes(node)));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Fastly invoice has no version of its own: once downloaded, its SHA-256 is its version. */
    public FileTask versionByContent(@Body FileTask file) {
        return file.useContentHashAsVersion();
    }

    /** The billing month (YYYY-MM) of an ISO date or date-time, or null when it is none. */
    public static String month(String isoDate) {
        if (isoDate == null || !isoDate.matches("\\d{4}-\\d{2}-\\d{2}.*")) {
            return null;
        }
        try {
            return java.time.LocalDate.parse(isoDate.substring(0, 10)).toString().substring(0, 7);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    private static MalformedListException malformed(ListTask listing, String what) {
        return new MalformedListException("malformed invoice list for " + listing + ": " + what);
    }
}
