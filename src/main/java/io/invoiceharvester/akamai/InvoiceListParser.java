package io.invoiceharvester.akamai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.delivery.FileNames;
import io.invoiceharvester.http.CappedInput;
import io.invoiceharvester.ledger.Amounts;
import io.invoiceharvester.run.FileTask;
import io.invoiceharvester.run.ListTask;
import io.invoiceharvester.run.RunItem;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * Reads a list-invoices response into one task per file. Lenient: unknown fields are ignored and
 * both the v4 file entry (contentType) and the older v3 one (fileFormat) are accepted.
 */
public class InvoiceListParser {

    // money stays exact: never through double
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Map<String, String> V3_FORMATS = Map.of(
            "PDF", "application/pdf", "CSV", "text/csv", "JSON", "application/json");

    public List<FileTask> parse(@ExchangeProperty(RunItem.ITEM) ListTask listing, @Body InputStream body) throws IOException {
        if (body == null) {
            return new ArrayList<>();
        }
        // the response is a stream (not cached): read and closed here, whatever it holds
        try (InputStream response = body) {
            return parseOpen(listing, response);
        }
    }

    private List<FileTask> parseOpen(ListTask listing, InputStream body) throws IOException {
        List<FileTask> files = new ArrayList<>();
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
            throw malformed(listing, "the response is not JSON (" + e.getOriginalMessage() + ")");
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
            readInvoice(listing, invoice, index++, files);
        }
        FileTask.linkCsvSiblings(files);
        return files;
    }

    private void readInvoice(ListTask listing, JsonNode invoice, int index, List<FileTask> out) {
        if (!invoice.isObject()) {
            throw malformed(listing, "invoice #" + index + " is not an object");
        }
        String invoiceId = idText(invoice.get("invoiceId"));
        String where = "invoice " + (invoiceId == null ? "#" + index : invoiceId);
        if (invoiceId == null) {
            throw malformed(listing, where + " has no invoiceId");
        }
        String accountId = text(invoice, "accountId");
        String contractId = text(invoice, "contractId");
        if (accountId == null || contractId == null) {
            throw malformed(listing, where + " lacks accountId or contractId");
        }
        String invoiceType = text(invoice, "invoiceType");
        JsonNode totalNode = invoice.get("invoiceTotal");
        java.math.BigDecimal total;
        try {
            total = totalNode != null && totalNode.isNumber() ? Amounts.check(totalNode.decimalValue()) : null;
        } catch (NumberFormatException e) {
            throw malformed(listing, where + ": invoiceTotal " + e.getMessage());
        }
        String currency = text(invoice, "invoiceCurrency");
        JsonNode files = invoice.get("files");
        if (files == null || files.isNull()) {
            return;
        }
        if (!files.isArray()) {
            throw malformed(listing, where + ": files is not an array");
        }
        for (JsonNode file : files) {
            String contentType = text(file, "contentType");
            if (contentType == null && text(file, "fileFormat") != null) {
                contentType = V3_FORMATS.get(text(file, "fileFormat").toUpperCase(Locale.ROOT));
            }
            String link = text(file, "fileLink");
            if (contentType == null || link == null) {
                throw malformed(listing, where + " has a file without contentType/fileFormat or fileLink");
            }
            JsonNode version = file.get("fileVersion");
            long v = version == null || version.isNull() ? 1 : version.asLong(-1);
            if (v < 1) {
                throw malformed(listing, where + " has an invalid fileVersion " + version);
            }
            String sourceType = text(file, "sourceType");
            String fileName = text(file, "fileName");
            out.add(new FileTask(listing, listing.getMonth(), FileNames.sanitize(accountId), FileNames.sanitize(contractId), invoiceId,
                    invoiceType == null ? "INVOICE" : invoiceType, fileName, FileNames.sanitize(fileName),
                    Long.toString(v), sourceType == null ? "REGULAR" : sourceType.toUpperCase(Locale.ROOT),
                    contentType.toLowerCase(Locale.ROOT), link, total, currency));
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

    private static MalformedListException malformed(ListTask listing, String what) {
        return new MalformedListException("malformed invoice list for " + listing + ": " + what);
    }
}
