package io.invoiceharvester.akamai;

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
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a list-invoices response into one task per file. Lenient where the published schema allows it:
 * unknown fields are ignored and both the v4 file entry (contentType) and the older v3 one (fileFormat)
 * are accepted. An entry that lacks what its files need, or states a type, total or currency the
 * harvester cannot keep, is reported on its own, naming its invoice; the rest of the list goes on.
 */
public class InvoiceListParser {

    private static final Logger LOG = LoggerFactory.getLogger(InvoiceListParser.class);
    // money stays exact: never through double
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Map<String, String> V3_FORMATS = Map.of(
            "PDF", "application/pdf", "CSV", "text/csv", "JSON", "application/json");
    /** The types Akamai's reference documents; others are kept, ingested with their amounts' signs as given. */
    private static final Set<String> KNOWN_TYPES = Set.of("INVOICE", "CREDIT_MEMO", "DEBIT_MEMO");
    /** What the state database keeps of a type: an enum-like name, not free text. */
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    private final FailureReport failures;

    public InvoiceListParser(FailureReport failures) {
        this.failures = failures;
    }

    public List<ListedFile> parse(Listing listing, RunState run,
                                InputStream body) throws IOException {
        if (body == null) {
            return new ArrayList<>();
        }
        // the response is a stream (not cached): read and closed here, whatever it holds
        try (InputStream response = body) {
            return parseOpen(listing, run, response);
        }
    }

    private List<ListedFile> parseOpen(Listing listing, RunState run, InputStream body) throws IOException {
        List<ListedFile> files = new ArrayList<>();
        PushbackInputStream in = new PushbackInputStream(new CappedInput(body, CappedInput.LIST_MAX_BYTES));
        int first = in.read();
        if (first == -1) {
            return files; // 204: no invoices this month
        }
        in.unread(first);
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw malformed(listing, "the response is not JSON (" + JsonErrors.describe(e) + ")");
        } catch (CappedInput.TooLargeException e) {
            throw malformed(listing, e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            return files;
        }
        if (!root.isArray()) {
            throw malformed(listing, "expected a JSON array of invoices, got " + root.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        int index = 0;
        for (JsonNode invoice : root) {
            try {
                readInvoice(listing, run, invoice, index++, files);
            } catch (MalformedListException e) {
                failures.record(run, RunState.FailureKind.CONTENT, listing.toString(), e.getMessage()
                        + "; the rest of the list goes on");
            }
        }
        ListedFile.linkCsvSiblings(files);
        return files;
    }

    private void readInvoice(Listing listing, RunState run, JsonNode invoice, int index, List<ListedFile> out) {
        if (!invoice.isObject()) {
            throw new MalformedListException("invoice #" + index + " is not an object");
        }
        String invoiceId = idText(invoice.get("invoiceId"));
        String where = "invoice " + (invoiceId == null ? "#" + index : invoiceId);
        if (invoiceId == null) {
            throw new MalformedListException(where + " has no invoiceId");
        }
        String accountId = text(invoice, "accountId");
        String contractId = text(invoice, "contractId");
        if (accountId == null || contractId == null) {
            throw new MalformedListException(where + " lacks accountId or contractId");
        }
        String invoiceType = text(invoice, "invoiceType");
        if (invoiceType == null || !TYPE.matcher(invoiceType).matches()) {
            throw new MalformedListException(where + ": invoiceType " + (invoiceType == null ? "is missing"
                    : "'" + clip(invoiceType) + "' is not a type name (A-Z, 0-9, _, at most 32)") + "; its files are not fetched");
        }
        if (!KNOWN_TYPES.contains(invoiceType)) {
            LOG.warn("{}: invoiceType {} is not one the harvester knows: its files are fetched and ingested with their amounts"
                    + " as given, and counted apart in the summary", where, invoiceType);
        }
        String currency = text(invoice, "invoiceCurrency");
        if (currency == null || !isIsoCurrency(currency)) {
            failures.record(run, RunState.FailureKind.CONTENT, listing.toString(), where + ": invoiceCurrency "
                    + (currency == null ? "is missing" : "'" + clip(currency) + "' is not an ISO 4217 currency")
                    + "; its files are fetched, its lines cannot be reconciled");
            currency = null;
        }
        JsonNode totalNode = invoice.get("invoiceTotal");
        BigDecimal total = null;
        try {
            if (totalNode == null || !totalNode.isNumber()) {
                // reported, not skipped: the files are fetched, and the invoice is flagged as not reconciled
                failures.record(run, RunState.FailureKind.CONTENT, listing.toString(), where + ": invoiceTotal "
                        + (totalNode == null || totalNode.isNull() ? "is missing" : "'" + clip(totalNode.asText()) + "' is not a number")
                        + "; its files are fetched, its lines cannot be reconciled");
            } else {
                total = Amounts.check(totalNode.decimalValue());
            }
        } catch (NumberFormatException e) {
            throw new MalformedListException(where + ": invoiceTotal " + e.getMessage());
        }
        JsonNode files = invoice.get("files");
        if (files == null || files.isNull() || files.isArray() && files.isEmpty()) {
            throw new MalformedListException(where + " lists no files");
        }
        if (!files.isArray()) {
            throw new MalformedListException(where + ": files is not an array");
        }
        for (JsonNode file : files) {
            String contentType = text(file, "contentType");
            if (contentType == null && text(file, "fileFormat") != null) {
                contentType = V3_FORMATS.get(text(file, "fileFormat").toUpperCase(Locale.ROOT));
            }
            String link = text(file, "fileLink");
            if (contentType == null || link == null) {
                throw new MalformedListException(where + " has a file without contentType/fileFormat or fileLink");
            }
            JsonNode version = file.get("fileVersion");
            long v = version == null || version.isNull() ? 1 : version.asLong(-1);
            if (v < 1) {
                throw new MalformedListException(where + " has an invalid fileVersion " + version);
            }
            String sourceType = text(file, "sourceType");
            String fileName = text(file, "fileName");
            out.add(new ListedFile(listing, listing.getMonth(),
                    new Invoice(FileNames.sanitize(accountId), FileNames.sanitize(contractId), invoiceId, invoiceType, total, currency),
                    new InvoiceFile(fileName, FileNames.sanitize(fileName), Long.toString(v),
                            sourceType == null ? "REGULAR" : sourceType.toUpperCase(Locale.ROOT), contentType.toLowerCase(Locale.ROOT), link)));
        }
    }

    private static boolean isIsoCurrency(String code) {
        try {
            return code.length() == 3 && Currency.getInstance(code) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** invoiceId is a number above 2^31 in the docs; accept a numeric string too. */
    private static String idText(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return Long.toString(node.asLong());
        }
        String s = node.asText().trim();
        return s.matches("\\d{1,19}") ? s : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }

    private static String clip(String s) {
        String v = s.replaceAll("\\p{Cntrl}", "?");
        return v.length() > 40 ? v.substring(0, 37) + "..." : v;
    }

    private static MalformedListException malformed(Listing listing, String what) {
        return new MalformedListException("malformed invoice list for " + listing + ": " + what);
    }
}
