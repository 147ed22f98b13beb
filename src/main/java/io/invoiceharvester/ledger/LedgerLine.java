package io.invoiceharvester.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One normalized cost line in FOCUS 1.2 terms. Invoice-level columns (BillingAccountId, InvoiceId,
 * BillingPeriod*, ChargeClass, x_Source*) come from the invoice the line belongs to.
 */
public record LedgerLine(String billingAccountName, String subAccountId, LocalDate chargePeriodStart,
                         LocalDate chargePeriodEnd, String chargeCategory, String chargeDescription, String serviceName,
                         String serviceCategory, String regionName, BigDecimal pricingQuantity, String pricingUnit,
                         BigDecimal listUnitPrice, BigDecimal billedCost, String billingCurrency, String skuId,
                         String itemType, String provenance) {
}
