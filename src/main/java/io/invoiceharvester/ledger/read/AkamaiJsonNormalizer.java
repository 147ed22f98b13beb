package io.invoiceharvester.ledger.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.invoiceharvester.ledger.table.LedgerLine;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Providers;
import io.invoiceharvester.values.Amounts;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Akamai JSON invoice (INVOICE, END_CUSTOMER[], INVOICE_LINE[]) as ledger lines, amounts exact. */
public final class AkamaiJsonNormalizer {

    private static final Set<String> LINE_KNOWN = Set.of("ITEM_DESC", "ITEM_START_DATE", "ITEM_END_DATE", "ITEM_TOTAL",
            "ITEM_TOTAL_SERVICES", "ITEM_TOTAL_TAXES", "ITEM_TYPE", "ITEM_UNITS", "ITEM_UNIT_PRICE", "PRODUCT", "PRODUCT_ID",
            "UNIT_MEASURE");

    private AkamaiJsonNormalizer() {
    }

    /** The invoice's lines; a JSON stating another invoice or account than {@code entry} is refused. */
    public static List<LedgerLine> lines(Path file, ListedFile entry) throws IOException {
        JsonNode invoice = JsonInvoices.read(file).path("INVOICE");
        if (!invoice.isObject()) {
            throw new InvalidContentException("JSON invoice has no INVOICE object");
        }
        ListEntryMatch.invoice("INVOICE.INVOICE_ID", text(invoice, "INVOICE_ID"), entry);
        ListEntryMatch.account("INVOICE.ACCOUNT_ID", text(invoice, "ACCOUNT_ID"), entry);
        String currency = Currencies.iso(invoice.path("INVOICE_CURRENCY").asText(""), "INVOICE_CURRENCY");
        String accountId = text(invoice, "ACCOUNT_ID");
        String accountName = text(invoice, "ACCOUNT_NAME");
        List<LedgerLine> out = new ArrayList<>();
        int customerIndex = 0;
        for (JsonNode customer : invoice.path("END_CUSTOMER")) {
            // a reseller's end customer is a sub account; the billed account itself is not
            String customerId = text(customer, "END_CUSTOMER_ACCOUNT_ID");
            boolean subAccount = customerId != null && !customerId.equals(accountId);
            int lineIndex = 0;
            for (JsonNode line : customer.path("INVOICE_LINE")) {
                String where = "END_CUSTOMER[" + customerIndex + "].INVOICE_LINE[" + lineIndex++ + "]";
                Charge c = new Charge(Providers.displayName("akamai"));
                c.accountName = accountName;
                if (subAccount) {
                    c.subAccountId = customerId;
                    c.subAccountName = text(customer, "END_CUSTOMER_ACCOUNT_NAME");
                }
                c.start = date(line, "ITEM_START_DATE", where);
                LocalDate end = date(line, "ITEM_END_DATE", where);
                c.endExclusive = end == null ? null : end.plusDays(1);
                c.description = text(line, "ITEM_DESC");
                c.serviceName = text(line, "PRODUCT");
                c.service = ServiceCatalog.of(null, null, c.serviceName);
                c.skuId = text(line, "PRODUCT_ID");
                c.itemType = text(line, "ITEM_TYPE");
                c.quantity = number(line, "ITEM_UNITS", where, false);
                c.unitMeasure = text(line, "UNIT_MEASURE");
                c.unit = Units.of(c.unitMeasure);
                c.unitPrice = number(line, "ITEM_UNIT_PRICE", where, false);
                c.currency = currency;
                c.sourceColumns = unmapped(line);
                out.addAll(c.akamaiItem(number(line, "ITEM_TOTAL_SERVICES", where, true),
                        number(line, "ITEM_TOTAL", where, true)));
            }
            customerIndex++;
        }
        return out;
    }

    /** A line's fields no column takes, when they carry a value (x_SourceColumns). */
    private static String unmapped(JsonNode line) {
        Map<String, String> extra = new LinkedHashMap<>();
        line.fields().forEachRemaining(e -> {
            if (!LINE_KNOWN.contains(e.getKey()) && !e.getValue().isNull() && !e.getValue().asText().isBlank()) {
                extra.put(e.getKey(), e.getValue().asText());
            }
        });
        return extra.isEmpty() ? null : SourceColumns.json(extra);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : Cells.text(v.asText().trim(), field);
    }

    private static BigDecimal number(JsonNode node, String field, String where, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidContentException(where + "." + field + ": missing; an amount is required");
            }
            return null;
        }
        try {
            return Amounts.of(v);
        } catch (NumberFormatException e) {
            throw new InvalidContentException(where + "." + field + ": " + e.getMessage());
        }
    }

    private static LocalDate date(JsonNode node, String field, String where) {
        String v = text(node, field);
        try {
            return v == null || v.isEmpty() ? null : LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidContentException(where + "." + field + ": '" + v + "' is not a date");
        }
    }
}
