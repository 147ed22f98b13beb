package io.invoiceharvester.model;

import java.math.BigDecimal;

/**
 * An invoice as a provider's list names it: the account and contract it bills, its id and type (INVOICE,
 * CREDIT_MEMO, DEBIT_MEMO), and its total and currency as listed (null when the list has none).
 */
public record Invoice(String accountId, String contractId, String invoiceId, String type, BigDecimal total, String currency) {
}
