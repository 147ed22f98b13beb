package io.invoiceharvester.ledger.read;

import io.invoiceharvester.ledger.table.LedgerLine;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.values.Amounts;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * What a provider states about one charge, turned into FOCUS lines by the ledger's rules, in one place
 * for all sources (docs/ledger.md explains each):
 * <ul>
 * <li>service charges are Usage, with ChargeFrequency Usage-Based, or Recurring for monthly fees
 *     (a Purchase would need an EffectiveCost of 0, amortized onto usage that invoices do not itemize);</li>
 * <li>the unit price is the customer's contracted rate: ContractedUnitPrice, and ContractedCost is its
 *     exact product with PricingQuantity; no list price is published, so ListCost is the ContractedCost;</li>
 * <li>BilledCost is the invoiced amount and EffectiveCost equals it (invoices carry no amortization);</li>
 * <li>Tax and Credit rows carry their amount in every cost column, and no SKU, price or quantity.</li>
 * </ul>
 */
final class Charge {

    static final String USAGE_BASED = "Usage-Based";
    static final String RECURRING = "Recurring";

    /** The provider's own name: the service name of last resort. */
    final String provider;
    String accountName;
    String subAccountId;
    String subAccountName;
    LocalDate start;
    LocalDate endExclusive;
    String description;
    String serviceName;
    ServiceCatalog.Service service = ServiceCatalog.OTHER;
    String regionId;
    String regionName;
    String skuId;
    BigDecimal quantity;
    Units.Unit unit;
    BigDecimal unitPrice;
    BigDecimal amount;
    String currency;
    String itemType;
    String unitMeasure;
    String productLine;
    String productGroup;
    String billingRegion;
    String creditCouponCode;
    String sourceColumns;

    Charge(String provider) {
        this.provider = provider;
    }

    /** A service charge; a line without units is priced as 1 Unit. */
    LedgerLine usage(String frequency) {
        BigDecimal q = quantity != null ? quantity : BigDecimal.ONE;
        Units.Unit u = unit != null ? unit : Units.of("Units");
        BigDecimal contracted = unitPrice != null ? derived("ContractedCost (price x quantity)", unitPrice.multiply(q)) : amount;
        return line("Usage", frequency, "Standard", skuId, q, u.pricingUnit(), unitPrice,
                derived("ConsumedQuantity", u.consumed(q)), u.consumedUnit(), contracted, amount);
    }

    /** The tax on this charge (the rest of its total), as a line of its own. */
    LedgerLine tax(String frequency, BigDecimal tax) {
        String charged = description;
        description = "Tax: " + (charged == null ? "" : charged);
        try {
            return line("Tax", frequency, null, null, null, null, null, null, null, tax, tax);
        } finally {
            description = charged;
        }
    }

    /**
     * An Akamai item, as its JSON states it: a service line of ITEM_TOTAL_SERVICES, and a Tax line for the
     * rest of ITEM_TOTAL, so that an invoice's lines add up to its totals. (Its CSV says the same through
     * the akamai-invoice layout.)
     */
    List<LedgerLine> akamaiItem(BigDecimal servicesTotal, BigDecimal total) {
        return serviceAndTax(akamaiFrequency(itemType), servicesTotal, total.subtract(servicesTotal));
    }

    /** A service charge of {@code services}, and its tax as a line of its own when there is any. */
    List<LedgerLine> serviceAndTax(String frequency, BigDecimal services, BigDecimal rawTax) {
        amount = services;
        BigDecimal tax = derived("the tax", rawTax);
        return tax == null || tax.signum() == 0 ? List.of(usage(frequency))
                : List.of(usage(frequency), tax(frequency, tax));
    }

    /** A credit the provider grants (a coupon, a promotion). */
    LedgerLine credit() {
        return line("Credit", "One-Time", null, null, null, null, null, null, null, amount, amount);
    }

    private LedgerLine line(String category, String frequency, String pricingCategory, String sku, BigDecimal pricingQuantity,
                            String pricingUnit, BigDecimal price, BigDecimal consumedQuantity, String consumedUnit,
                            BigDecimal contractedCost, BigDecimal billed) {
        return new LedgerLine(accountName, subAccountId, subAccountName, start, endExclusive, category, frequency, description,
                firstOf(serviceName, productGroup, productLine, description, provider), service.category(), service.subcategory(),
                regionId, regionName, sku, pricingCategory, pricingQuantity, pricingUnit, price, consumedQuantity, consumedUnit,
                contractedCost, billed, currency, itemType, unitMeasure, productLine, productGroup, billingRegion,
                creditCouponCode, sourceColumns);
    }

    /** A value the ledger computes, within its bounds (Amounts.derived), or invalid content naming it. */
    private static BigDecimal derived(String what, BigDecimal v) {
        try {
            return v == null ? null : Amounts.derived(v);
        } catch (NumberFormatException e) {
            throw new InvalidContentException(what + " " + e.getMessage());
        }
    }

    private static String firstOf(String... names) {
        for (String n : names) {
            if (n != null && !n.isBlank()) {
                return n;
            }
        }
        return null;
    }

    /** Akamai's ITEMTYPE: U is usage; the other types are fees for the month (commitments). */
    static String akamaiFrequency(String itemType) {
        return "U".equalsIgnoreCase(itemType) ? USAGE_BASED : RECURRING;
    }
}
