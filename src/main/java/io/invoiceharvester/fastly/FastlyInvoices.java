package io.invoiceharvester.fastly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.delivery.FileNames;
import io.invoiceharvester.delivery.JsonErrors;
import io.invoiceharvester.http.CappedInput;
import io.invoiceharvester.model.Invoice;
import io.invoiceharvester.model.InvoiceFile;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.MalformedListException;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.values.Amounts;
import io.invoiceharvester.values.IsoDates;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a page of Fastly's invoice list into one file per invoice of the listing's month, and moves the
 * cursor loop on. Every field is optional in Fastly's schema: a page without data is empty, and an entry
 * that lacks what a file needs is reported on its own while the rest of the page goes on.
 */
public class FastlyInvoices {

    public static final String SOURCE_TYPE = "BILLING_V3";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** Numeric today; alphanumeric in invoices documented before mid-2024. */
    private static final Pattern INVOICE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final FailureReport failures;

    public FastlyInvoices(FailureReport failures) {
        this.failures = failures;
    }

    public FastlyPages newPages() {
        return new FastlyPages();
    }

    public List<ListedFile> page(Listing listing, FastlyPages pages,
                               RunState run, InputStream body) throws IOException {
        JsonNode root;
        try (InputStream in = body) {
            root = MAPPER.readTree(new CappedInput(in, CappedInput.LIST_MAX_BYTES));
        } catch (JsonProcessingException e) {
            throw malformed(listing, "the response is not JSON (" + JsonErrors.describe(e) + ")");
        } catch (CappedInput.TooLargeException e) {
            throw malformed(listing, e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw malformed(listing, "expected a JSON object");
        }
        JsonNode data = root.path("data");
        if (!data.isMissingNode() && !data.isNull() && !data.isArray()) {
            throw malformed(listing, "data is not an array");
        }
        List<ListedFile> out = new ArrayList<>();
        int index = 0;
        for (JsonNode invoice : data.isArray() ? data : MAPPER.createArrayNode()) {
            try {
                ListedFile file = listedFile(listing, invoice, index++);
                if (file != null && pages.firstSight(file.getInvoiceId())) {
                    out.add(file);
                }
            } catch (MalformedListException e) {
                failures.record(run, RunState.FailureKind.CONTENT, listing.toString(), e.getMessage()
                        + "; the rest of the listing goes on");
            }
        }
        JsonNode meta = root.path("meta");
        JsonNode next = meta.path("next_cursor");
        pages.advance(next.isTextual() ? next.asText() : null, meta.path("total").isInt() ? meta.get("total").asInt() : null,
                meta.path("limit").isInt() ? meta.get("limit").asInt() : null);
        return out;
    }

    /** The entry's invoice as a file to fetch, or null when its billing starts in another month than the listing's. */
    private static ListedFile listedFile(Listing listing, JsonNode invoice, int index) {
        if (!invoice.isObject()) {
            throw new MalformedListException("entry #" + index + " is not an object");
        }
        String id = text(invoice, "invoice_id");
        String customer = text(invoice, "customer_id");
        String start = text(invoice, "billing_start_date");
        String where = "invoice " + (id == null ? "#" + index : clip(id));
        List<String> missing = new ArrayList<>();
        for (String[] field : new String[][] {{"invoice_id", id}, {"customer_id", customer}, {"billing_start_date", start}}) {
            if (field[1] == null) {
                missing.add(field[0]);
            }
        }
        if (!missing.isEmpty()) {
            throw new MalformedListException(where + " lacks " + String.join(", ", missing));
        }
        if (!INVOICE_ID.matcher(id).matches()) {
            throw new MalformedListException(where + ": invoice_id is not an invoice number");
        }
        String month = IsoDates.utcMonth(start);
        if (month == null) {
            throw new MalformedListException(where + ": billing_start_date '" + clip(start) + "' is not a date (YYYY-MM-DD...)");
        }
        if (!month.equals(listing.getMonth())) {
            return null; // the window is wider than the month: this one is another month's listing's
        }
        BigDecimal total;
        try {
            total = Amounts.of(invoice.get("monthly_transaction_amount"));
        } catch (NumberFormatException e) {
            throw new MalformedListException(where + ": monthly_transaction_amount " + e.getMessage());
        }
        String fileName = "invoice-" + id + ".json";
        ListedFile file = new ListedFile(listing, month,
                new Invoice(FileNames.sanitize(customer), "-", id, "INVOICE", total, text(invoice, "currency_code")),
                new InvoiceFile(fileName, fileName, null, SOURCE_TYPE, "application/json", null));
        file.setListFingerprint(sha256(invoice));
        return file;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isValueNode() || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }

    private static String sha256(JsonNode node) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(MAPPER.writeValueAsBytes(node)));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Fastly invoice has no version of its own: once downloaded, its SHA-256 is its version. */
    public ListedFile versionByContent(ListedFile file) {
        return file.useContentHashAsVersion();
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    private static MalformedListException malformed(Listing listing, String what) {
        return new MalformedListException("malformed invoice list for " + listing + ": " + what);
    }
}
