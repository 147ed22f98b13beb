package io.invoiceharvester.ledger;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * The export's columns, in order: FOCUS 1.2 Cost and Usage columns, then the harvester's x_ columns.
 * Each names its type (both file formats follow it) and where its value comes from in the ledger's
 * query; docs/ledger.md describes every one per provider.
 */
final class FocusColumns {

    /** How a value is written: text, an exact quantity or price, money, a UTC datetime. */
    enum Kind { TEXT, NUMBER, MONEY, DATETIME }

    interface Value {
        Object of(ResultSet row, YearMonth month) throws SQLException;
    }

    /** A column, and the ledger query's columns its value comes from (their widths bound its strings). */
    record Column(String name, Kind kind, List<String> sources, Value value) {
    }

    /** One month's lines, with what their invoice and account add, in a stable order. */
    static final String MONTH_QUERY = "SELECT l.*, i.source_file, i.file_version, i.invoice_type, a.account_name"
            + " FROM ledger_invoice i JOIN ledger_line l ON l.provider = i.provider AND l.account_id = i.account_id"
            + " AND l.invoice_id = i.invoice_id AND l.source_type = i.source_type"
            + " LEFT JOIN ledger_account a ON a.provider = i.provider AND a.account_id = i.account_id"
            + " WHERE i.billing_month = ? ORDER BY i.provider, i.account_id, i.invoice_id, i.source_type, l.line_no";

    static final List<Column> ALL = List.of(
            text("BillingAccountId", "account_id"),
            new Column("BillingAccountName", Kind.TEXT, List.of("billing_account_name", "account_name", "account_id"),
                    (r, m) -> firstOf(r.getString("billing_account_name"),
                    r.getString("account_name"), r.getString("account_id"))),
            text("SubAccountId", "sub_account_id"),
            text("SubAccountName", "sub_account_name"),
            text("InvoiceId", "invoice_id"),
            // each provider bills directly: issuer, provider and publisher are one
            provider("InvoiceIssuerName"),
            provider("ProviderName"),
            provider("PublisherName"),
            new Column("BillingPeriodStart", Kind.DATETIME, List.of(), (r, m) -> m.atDay(1)),
            new Column("BillingPeriodEnd", Kind.DATETIME, List.of(), (r, m) -> m.plusMonths(1).atDay(1)),
            new Column("ChargePeriodStart", Kind.DATETIME, List.of("charge_period_start"), (r, m) -> date(r, "charge_period_start", m.atDay(1))),
            new Column("ChargePeriodEnd", Kind.DATETIME, List.of("charge_period_end"), (r, m) -> date(r, "charge_period_end", m.plusMonths(1).atDay(1))),
            text("ChargeCategory", "charge_category"),
            text("ChargeClass", "charge_class"),
            text("ChargeFrequency", "charge_frequency"),
            text("ChargeDescription", "charge_description"),
            text("ServiceName", "service_name"),
            text("ServiceCategory", "service_category"),
            text("ServiceSubcategory", "service_subcategory"),
            text("RegionId", "region_id"),
            text("RegionName", "region_name"),
            text("SkuId", "sku_id"),
            text("PricingCategory", "pricing_category"),
            number("PricingQuantity", "pricing_quantity", Kind.NUMBER),
            text("PricingUnit", "pricing_unit"),
            number("ContractedUnitPrice", "contracted_unit_price", Kind.NUMBER),
            number("ConsumedQuantity", "consumed_quantity", Kind.NUMBER),
            text("ConsumedUnit", "consumed_unit"),
            // no list price is published for either provider: the contracted cost is the only undiscounted one
            number("ListCost", "contracted_cost", Kind.MONEY),
            number("ContractedCost", "contracted_cost", Kind.MONEY),
            // invoices carry no amortization: what is billed is what is effective
            number("EffectiveCost", "billed_cost", Kind.MONEY),
            number("BilledCost", "billed_cost", Kind.MONEY),
            text("BillingCurrency", "billing_currency"),
            // an invoice prices in the currency it bills: the pricing-currency columns repeat the billing ones
            text("PricingCurrency", "billing_currency"),
            number("PricingCurrencyContractedUnitPrice", "contracted_unit_price", Kind.NUMBER),
            number("PricingCurrencyEffectiveCost", "billed_cost", Kind.MONEY),
            text("x_SourceFile", "source_file"),
            text("x_SourceType", "source_type"),
            text("x_FileVersion", "file_version"),
            text("x_InvoiceType", "invoice_type"),
            text("x_ItemType", "item_type"),
            text("x_UnitMeasure", "unit_measure"),
            text("x_ProductLine", "product_line"),
            text("x_ProductGroup", "product_group"),
            text("x_BillingRegion", "billing_region"),
            text("x_CreditCouponCode", "credit_coupon_code"),
            text("x_SourceColumns", "source_columns"));

    private FocusColumns() {
    }

    static List<String> names() {
        return ALL.stream().map(Column::name).toList();
    }

    /** One row's values in column order: String, BigDecimal or LocalDate (a day's UTC midnight). */
    static Object[] values(ResultSet row, YearMonth month) throws SQLException {
        Object[] out = new Object[ALL.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALL.get(i).value().of(row, month);
        }
        return out;
    }

    private static BigDecimal withPoint(BigDecimal v) {
        return v.scale() < 1 ? v.setScale(1) : v;
    }

    private static Column text(String name, String column) {
        return new Column(name, Kind.TEXT, List.of(column), (r, m) -> r.getString(column));
    }

    private static Column number(String name, String column, Kind kind) {
        return new Column(name, kind, List.of(column), (r, m) -> r.getBigDecimal(column));
    }

    private static Column provider(String name) {
        return new Column(name, Kind.TEXT, List.of("provider"), (r, m) -> Providers.displayName(r.getString("provider")));
    }

    private static LocalDate date(ResultSet r, String column, LocalDate otherwise) throws SQLException {
        Date d = r.getDate(column);
        return d == null ? otherwise : d.toLocalDate();
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /**
     * Exact, without exponent or trailing zeros, and with a decimal point on every number (`744.0`): a
     * type-inferring reader (pandas, polars, DuckDB, the FOCUS validator) then reads the column as decimal in
     * every month, even one whose quantities are all whole. Money keeps at least two decimals.
     */
    static String format(Kind kind, Object value) {
        if (value == null) {
            return null;
        }
        return switch (kind) {
            case TEXT -> (String) value;
            case NUMBER -> withPoint(((BigDecimal) value).stripTrailingZeros()).toPlainString();
            case MONEY -> Ledger.money((BigDecimal) value);
            case DATETIME -> value + "T00:00:00Z";
        };
    }
}
