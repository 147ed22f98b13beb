package io.invoiceharvester.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.delivery.InvalidContentException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Fastly Billing v3 invoice as ledger lines. Line items come in today's snake_case and the older
 * PascalCase spelling; any field may be null.
 */
public final class FastlyNormalizer {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private FastlyNormalizer() {
    }

    public static List<LedgerLine> lines(Path file) throws IOException {
        JsonNode invoice = MAPPER.readTree(file.toFile());
        String currency = Currencies.iso(invoice.path("currency_code").asText(""), "currency_code");
        LocalDate start = date(invoice, "billing_start_date");
        LocalDate end = date(invoice, "billing_end_date");
        LocalDate endExclusive = end == null ? null : end.plusDays(1);
        List<LedgerLine> out = new ArrayList<>();
        int index = 0;
        for (JsonNode item : invoice.path("transaction_line_items")) {
            String where = "transaction_line_items[" + index++ + "]";
            BigDecimal amount = number(item, "amount", where);
            if (amount == null) {
                throw new InvalidContentException(where + ".amount: missing; an amount is required");
            }
            String usageType = text(item, "usage_type", "UsageType");
            String coupon = text(item, "credit_coupon_code", "CreditCouponCode");
            String product = text(item, "product_name", "ProductName");
            String group = text(item, "product_group", "ProductGroup");
            String line = text(item, "product_line", "ProductLine");
            boolean credit = amount.signum() < 0 || coupon != null || "credit".equalsIgnoreCase(usageType);
            String category = credit ? "Credit" : "subscription".equalsIgnoreCase(String.valueOf(usageType)) ? "Purchase" : "Usage";
            Map<String, String> provenance = new LinkedHashMap<>();
            if (coupon != null) {
                provenance.put("credit_coupon_code", coupon);
            }
            if (group != null) {
                provenance.put("product_group", group);
            }
            if (line != null) {
                provenance.put("product_line", line);
            }
            out.add(new LedgerLine(null, null, start, endExclusive, category, text(item, "description", "Description"),
                    product, AkamaiCharges.serviceCategory(group, product), text(item, "region", "Region"),
                    number(item, "units", where), usageType, number(item, "rate", where), amount, currency, null,
                    usageType == null ? null : usageType.toLowerCase(Locale.ROOT), provenance.isEmpty() ? null : provenance.toString()));
        }
        return out;
    }

    private static String text(JsonNode node, String snake, String pascal) {
        JsonNode v = node.hasNonNull(snake) ? node.get(snake) : node.get(pascal);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }

    private static BigDecimal number(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            return null;
        }
        try {
            return v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new InvalidContentException(where + "." + field + ": '" + v.asText() + "' is not a number");
        }
    }

    private static LocalDate date(JsonNode node, String field) {
        String v = node.path(field).asText("");
        try {
            return v.isEmpty() ? null : OffsetDateTime.parse(v).toLocalDate();
        } catch (DateTimeParseException e) {
            throw new InvalidContentException(field + ": '" + v + "' is not an ISO 8601 date-time");
        }
    }
}
