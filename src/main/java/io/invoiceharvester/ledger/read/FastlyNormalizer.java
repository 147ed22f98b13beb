package io.invoiceharvester.ledger.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.invoiceharvester.ledger.table.LedgerLine;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Providers;
import io.invoiceharvester.values.Amounts;
import io.invoiceharvester.values.IsoDates;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Fastly Billing v3 invoice as ledger lines. Line items come in today's snake_case and the older
 * PascalCase spelling; any field may be null.
 */
public final class FastlyNormalizer {

    private FastlyNormalizer() {
    }

    /** The invoice's lines; an invoice stating another id or customer than {@code entry} is refused. */
    public static List<LedgerLine> lines(Path file, ListedFile entry) throws IOException {
        JsonNode invoice = JsonInvoices.read(file);
        ListEntryMatch.invoice("invoice_id", invoice.path("invoice_id").asText(null), entry);
        ListEntryMatch.account("customer_id", invoice.path("customer_id").asText(null), entry);
        String currency = Currencies.iso(invoice.path("currency_code").asText(""), "currency_code");
        LocalDate start = startDate(invoice, "billing_start_date");
        LocalDate endExclusive = endExclusive(invoice, "billing_end_date");
        if (start != null && endExclusive != null && !endExclusive.isAfter(start)) {
            // FOCUS forbids a ChargePeriodEnd before its ChargePeriodStart: such an invoice stays out of the ledger
            throw new InvalidContentException("billing_end_date " + invoice.path("billing_end_date").asText() + " precedes"
                    + " billing_start_date " + invoice.path("billing_start_date").asText() + ": the invoice's period ends before it"
                    + " begins, kept out of the ledger");
        }
        List<LedgerLine> out = new ArrayList<>();
        int index = 0;
        for (JsonNode item : invoice.path("transaction_line_items")) {
            String where = "transaction_line_items[" + index++ + "]";
            Charge c = new Charge(Providers.displayName("fastly"));
            c.amount = number(item, "amount", where);
            if (c.amount == null) {
                throw new InvalidContentException(where + ".amount: missing; an amount is required");
            }
            c.start = start;
            c.endExclusive = endExclusive;
            c.currency = currency;
            c.description = text(item, "description", "Description");
            c.serviceName = text(item, "product_name", "ProductName");
            c.productGroup = text(item, "product_group", "ProductGroup");
            c.productLine = text(item, "product_line", "ProductLine");
            c.service = ServiceCatalog.of(c.productLine, c.productGroup, c.serviceName);
            c.billingRegion = text(item, "region", "Region");
            c.creditCouponCode = text(item, "credit_coupon_code", "CreditCouponCode");
            String usageType = text(item, "usage_type", "UsageType");
            c.unitMeasure = usageType;
            if (c.amount.signum() < 0 || c.creditCouponCode != null || "credit".equalsIgnoreCase(usageType)) {
                c.itemType = "credit";
                c.service = ServiceCatalog.OTHER;
                out.add(c.credit());
                continue;
            }
            boolean subscription = "subscription".equalsIgnoreCase(usageType);
            c.itemType = usageType == null ? null : usageType.toLowerCase(Locale.ROOT);
            c.quantity = number(item, "units", where);
            c.unitPrice = number(item, "rate", where);
            c.unit = Units.fastly(usageType, "Compute".equals(c.service.category()));
            out.add(c.usage(subscription ? Charge.RECURRING : Charge.USAGE_BASED));
        }
        return out;
    }

    private static String text(JsonNode node, String snake, String pascal) {
        JsonNode v = node.hasNonNull(snake) ? node.get(snake) : node.get(pascal);
        return v == null || v.isNull() || v.asText().isBlank() ? null : Cells.text(v.asText().trim(), snake);
    }

    private static BigDecimal number(JsonNode node, String field, String where) {
        try {
            return Amounts.of(node.get(field));
        } catch (NumberFormatException e) {
            throw new InvalidContentException(where + "." + field + ": " + e.getMessage());
        }
    }

    /** In UTC, whatever offset Fastly used (IsoDates: the same rule that chose the invoice's month). */
    private static OffsetDateTime dateTime(JsonNode node, String field) {
        String v = node.path(field).asText("");
        if (v.isEmpty()) {
            return null;
        }
        OffsetDateTime t = IsoDates.utc(v);
        if (t == null) {
            throw new InvalidContentException(field + ": '" + v + "' is not an ISO 8601 date-time");
        }
        return t;
    }

    private static LocalDate startDate(JsonNode node, String field) {
        OffsetDateTime t = dateTime(node, field);
        return t == null ? null : t.toLocalDate();
    }

    /**
     * Fastly ends a period at 23:59:59 of its last day; FOCUS ends it, exclusive, at the next midnight. A
     * bare date is the period's last day.
     */
    private static LocalDate endExclusive(JsonNode node, String field) {
        OffsetDateTime t = dateTime(node, field);
        if (t == null) {
            return null;
        }
        boolean bareDate = node.path(field).asText().trim().length() == 10;
        return t.toLocalTime().equals(LocalTime.MIDNIGHT) && !bareDate ? t.toLocalDate() : t.toLocalDate().plusDays(1);
    }
}
