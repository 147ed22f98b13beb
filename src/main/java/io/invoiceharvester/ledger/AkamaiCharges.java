package io.invoiceharvester.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Akamai's item rules, shared by the CSV and the JSON invoice: one Usage (ITEM_TYPE U) or Purchase row
 * of ITEM_TOTAL_SERVICES, plus a Tax row for the rest of ITEM_TOTAL, so an invoice's rows sum to its totals.
 */
final class AkamaiCharges {

    /** One invoice item as both Akamai formats carry it. */
    record Item(String accountName, String subAccountId, LocalDate start, LocalDate end, String description,
                String product, String productLine, String productId, String itemType, BigDecimal units, String unit,
                BigDecimal unitPrice, BigDecimal servicesTotal, BigDecimal total, String currency, String provenance) {
    }

    private AkamaiCharges() {
    }

    static List<LedgerLine> lines(Item i) {
        List<LedgerLine> out = new ArrayList<>(2);
        String category = "U".equalsIgnoreCase(i.itemType()) ? "Usage" : "Purchase";
        LocalDate endExclusive = i.end() == null ? null : i.end().plusDays(1);
        String serviceCategory = serviceCategory(i.productLine(), i.product());
        out.add(new LedgerLine(i.accountName(), i.subAccountId(), i.start(), endExclusive, category, i.description(),
                i.product(), serviceCategory, null, i.units(), i.unit(), i.unitPrice(), i.servicesTotal(), i.currency(),
                i.productId(), i.itemType(), i.provenance()));
        BigDecimal tax = i.total().subtract(i.servicesTotal());
        if (tax.signum() != 0) {
            out.add(new LedgerLine(i.accountName(), i.subAccountId(), i.start(), endExclusive, "Tax",
                    "Tax: " + (i.description() == null ? "" : i.description()), i.product(), serviceCategory, null, null,
                    null, null, tax, i.currency(), i.productId(), i.itemType(), null));
        }
        return out;
    }

    /** FOCUS ServiceCategory from Akamai's product line (a CDN's default is Networking). */
    static String serviceCategory(String productLine, String product) {
        String s = ((productLine == null ? "" : productLine) + " " + (product == null ? "" : product)).toLowerCase(Locale.ROOT);
        if (s.contains("secur") || s.contains("protect") || s.contains("waf") || s.contains("bot")) {
            return "Security";
        }
        if (s.contains("storage")) {
            return "Storage";
        }
        if (s.contains("comput") || s.contains("linode")) {
            return "Compute";
        }
        return "Networking";
    }
}
