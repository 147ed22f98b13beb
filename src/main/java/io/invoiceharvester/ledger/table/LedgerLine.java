package io.invoiceharvester.ledger.table;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One cost line in FOCUS 1.2 terms, as ledger.read.Charge makes it from what a provider states. The invoice
 * it belongs to adds BillingAccountId, InvoiceId, the billing period, a credit memo's ChargeClass and the
 * x_Source columns; a line without a charge period of its own gets the billing period.
 */
public record LedgerLine(String billingAccountName, String subAccountId, String subAccountName,
                         LocalDate chargePeriodStart, LocalDate chargePeriodEnd, String chargeCategory,
                         String chargeFrequency, String chargeDescription, String serviceName, String serviceCategory,
                         String serviceSubcategory, String regionId, String regionName, String skuId,
                         String pricingCategory, BigDecimal pricingQuantity, String pricingUnit,
                         BigDecimal contractedUnitPrice, BigDecimal consumedQuantity, String consumedUnit,
                         BigDecimal contractedCost, BigDecimal billedCost, String billingCurrency, String itemType,
                         String unitMeasure, String productLine, String productGroup, String billingRegion,
                         String creditCouponCode, String sourceColumns) {
}
