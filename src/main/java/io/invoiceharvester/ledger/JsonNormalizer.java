package io.invoiceharvester.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.delivery.InvalidContentException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The Akamai JSON invoice (INVOICE, END_CUSTOMER[], INVOICE_LINE[]) as ledger lines, amounts exact. */
public final class JsonNormalizer {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JsonNormalizer() {
    }

    public static List<LedgerLine> lines(Path file) throws IOException {
        JsonNode invoice = MAPPER.readTree(file.toFile()).path("INVOICE");
        if (!invoice.isObject()) {
            throw new InvalidContentException("JSON invoice has no INVOICE object");
        }
        String currency = Currencies.iso(invoice.path("INVOICE_CURRENCY").asText(""), "INVOICE_CURRENCY");
        String accountName = text(invoice, "ACCOUNT_NAME");
        List<LedgerLine> out = new ArrayList<>();
        int customerIndex = 0;
        for (JsonNode customer : invoice.path("END_CUSTOMER")) {
            int lineIndex = 0;
            for (JsonNode line : customer.path("INVOICE_LINE")) {
                String where = "END_CUSTOMER[" + customerIndex + "].INVOICE_LINE[" + lineIndex++ + "]";
                out.addAll(AkamaiCharges.lines(new AkamaiCharges.Item(accountName, text(customer, "END_CUSTOMER_ACCOUNT_ID"),
                        date(line, "ITEM_START_DATE", where), date(line, "ITEM_END_DATE", where), text(line, "ITEM_DESC"),
                        text(line, "PRODUCT"), null, text(line, "PRODUCT_ID"), text(line, "ITEM_TYPE"),
                        number(line, "ITEM_UNITS", where, false), text(line, "UNIT_MEASURE"),
                        number(line, "ITEM_UNIT_PRICE", where, false), number(line, "ITEM_TOTAL_SERVICES", where, true),
                        number(line, "ITEM_TOTAL", where, true), currency, null)));
            }
            customerIndex++;
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText().trim();
    }

    private static BigDecimal number(JsonNode node, String field, String where, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidContentException(where + "." + field + ": missing; an amount is required");
            }
            return null;
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        try {
            return new BigDecimal(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new InvalidContentException(where + "." + field + ": '" + v.asText() + "' is not a number");
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
