package io.invoiceharvester.ledger.export;

import io.invoiceharvester.model.Providers;
import io.invoiceharvester.values.Amounts;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The export's columns, in order: FOCUS 1.2 Cost and Usage columns, then the harvester's x_ columns.
 * Each names its type (both file formats follow it) and where its value comes from in the ledger's
 * query; docs/ledger.md describes every one per provider.
 */
public final class FocusColumns {

    /** How a value is written: text, an exact quantity or price, money, a UTC datetime. */
    enum Kind { TEXT, NUMBER, MONEY, DATETIME }

    /** A column's value from the row's source values (in {@link #SOURCES} order) and the billing period. */
    interface Value {
        String of(String[] sources, Period period);
    }

    /** The month being exported: its first day, and the next month's (where it ends), as text. */
    record Period(String start, String end) {
        static Period of(YearMonth month) {
            return new Period(month.atDay(1).toString(), month.plusMonths(1).atDay(1).toString());
        }
    }

    /** A column, and the ledger query's columns its value comes from (their widths bound its strings). */
    record Column(String name, Kind kind, List<String> sources, Value value) {
    }

    /** A column of the ledger's tables the export reads (as text: the export column says how it is written). */
    private record Source(String name) {
        boolean ofInvoice() {
            return INVOICE_COLUMNS.contains(name);
        }
    }

    /** The columns {@link #INVOICES_QUERY} adds to an invoice's key: the same for each of its lines. */
    private static final List<String> INVOICE_COLUMNS = List.of("source_file", "file_version", "invoice_type", "account_name");

    /**
     * The ledger query's columns the export reads, each once a row however many export columns use it: filled
     * while {@link #ALL} is built, so declared before it.
     */
    private static final List<Source> SOURCES = new ArrayList<>();

    /**
     * One month's lines, with what their invoice and account add, in the export's order: the columns FocusMetadata
     * reads the widths of, and the query bench/run.sh gives PostgreSQL's COPY TO. The export reads the same rows
     * invoice by invoice ({@link #INVOICES_QUERY}, {@link #LINES_QUERY}): each invoice's lines come in the primary
     * key's order, so the database never sorts a month, whatever its statistics say.
     */
    static final String MONTH_QUERY = "SELECT l.*, i.source_file, i.file_version, i.invoice_type, a.account_name"
            + " FROM ledger_invoice i JOIN ledger_line l ON l.provider = i.provider AND l.account_id = i.account_id"
            + " AND l.invoice_id = i.invoice_id AND l.source_type = i.source_type"
            + " LEFT JOIN ledger_account a ON a.provider = i.provider AND a.account_id = i.account_id"
            + " WHERE i.billing_month = ? ORDER BY i.provider, i.account_id, i.invoice_id, i.source_type, l.line_no";

    /** A month's invoices in the export's order: their keys (as {@link #LINES_QUERY} takes them), then {@link #INVOICE_COLUMNS}. */
    static final String INVOICES_QUERY = "SELECT i.provider, i.account_id, i.invoice_id, i.source_type, i.source_file,"
            + " i.file_version, i.invoice_type, a.account_name FROM ledger_invoice i"
            + " LEFT JOIN ledger_account a ON a.provider = i.provider AND a.account_id = i.account_id"
            + " WHERE i.billing_month = ? ORDER BY i.provider, i.account_id, i.invoice_id, i.source_type";

    static final List<Column> ALL = List.of(
            text("BillingAccountId", "account_id"),
            billingAccountName(),
            text("SubAccountId", "sub_account_id"),
            text("SubAccountName", "sub_account_name"),
            text("InvoiceId", "invoice_id"),
            // each provider bills directly: issuer, provider and publisher are one
            provider("InvoiceIssuerName"),
            provider("ProviderName"),
            provider("PublisherName"),
            new Column("BillingPeriodStart", Kind.DATETIME, List.of(), (v, p) -> p.start()),
            new Column("BillingPeriodEnd", Kind.DATETIME, List.of(), (v, p) -> p.end()),
            date("ChargePeriodStart", "charge_period_start", Period::start),
            date("ChargePeriodEnd", "charge_period_end", Period::end),
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

    /** Each column's kind and value, by position: looked up per value, so arrays rather than the list of records. */
    static final Kind[] KINDS = ALL.stream().map(Column::kind).toArray(Kind[]::new);
    private static final Value[] VALUES = ALL.stream().map(Column::value).toArray(Value[]::new);

    /** The line columns the export reads, in {@link #SOURCES} order. */
    private static final List<String> LINE_COLUMNS = SOURCES.stream().filter(s -> !s.ofInvoice()).map(Source::name).toList();

    /**
     * An invoice's lines, in order: the primary key's, named whole, so that H2 too reads them through the key
     * ("index sorted") instead of sorting them in a temporary result (ORDER BY line_no alone sorted there).
     */
    static final String LINES_QUERY = "SELECT " + String.join(", ", LINE_COLUMNS) + " FROM ledger_line"
            + " WHERE provider = ? AND account_id = ? AND invoice_id = ? AND source_type = ?"
            + " ORDER BY provider, account_id, invoice_id, source_type, line_no";

    private FocusColumns() {
    }

    public static List<String> names() {
        return ALL.stream().map(Column::name).toList();
    }

    /** What takes rows, one at a time. */
    interface RowSink {
        void write(String[] row) throws IOException;
    }

    /**
     * Gives the month's rows, in the export's order, to the sink as their source values ({@link Rows} makes export
     * rows of them): each source column read once a row, by position, however many export columns use it, as the
     * database's text (numbers plain or, from H2, with an exponent; dates YYYY-MM-DD) or null, in one array reused
     * from row to row. The count of rows.
     */
    static long read(Connection c, YearMonth month, int fetchSize, RowSink sink) throws SQLException, IOException {
        List<String[]> invoices = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(INVOICES_QUERY)) {
            ps.setString(1, month.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] invoice = new String[4 + INVOICE_COLUMNS.size()];
                    for (int i = 0; i < invoice.length; i++) {
                        invoice[i] = rs.getString(i + 1);
                    }
                    invoices.add(invoice);
                }
            }
        }
        String[] sources = new String[SOURCES.size()];
        boolean[] ofInvoice = new boolean[SOURCES.size()];
        int[] at = new int[SOURCES.size()]; // a line column's position in LINES_QUERY, an invoice column's in INVOICES_QUERY
        for (int i = 0; i < at.length; i++) {
            Source s = SOURCES.get(i);
            ofInvoice[i] = s.ofInvoice();
            at[i] = ofInvoice[i] ? 4 + INVOICE_COLUMNS.indexOf(s.name()) : 1 + LINE_COLUMNS.indexOf(s.name());
        }
        long count = 0;
        try (PreparedStatement ps = c.prepareStatement(LINES_QUERY)) {
            ps.setFetchSize(fetchSize);
            for (String[] invoice : invoices) {
                for (int i = 0; i < 4; i++) {
                    ps.setString(i + 1, invoice[i]);
                }
                for (int i = 0; i < at.length; i++) {
                    if (ofInvoice[i]) {
                        sources[i] = invoice[at[i]];
                    }
                }
                try (ResultSet lines = ps.executeQuery()) {
                    while (lines.next()) {
                        for (int i = 0; i < at.length; i++) {
                            if (!ofInvoice[i]) {
                                sources[i] = lines.getString(at[i]);
                            }
                        }
                        sink.write(sources);
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /** Export rows, in column order, made of a month's source values (as {@link #read} gives them). */
    static final class Rows {
        private final Period period;
        private final String[] row = new String[ALL.size()];

        Rows(YearMonth month) {
            period = Period.of(month);
        }

        /** The export row of the source values, in an array reused from row to row: each value text or null. */
        String[] of(String[] sources) {
            for (int i = 0; i < row.length; i++) {
                row[i] = VALUES[i].of(sources, period);
            }
            return row;
        }
    }

    /** The position of a query column among {@link #SOURCES}, added on first use. */
    private static int source(String column) {
        for (int i = 0; i < SOURCES.size(); i++) {
            if (SOURCES.get(i).name().equals(column)) {
                return i;
            }
        }
        SOURCES.add(new Source(column));
        return SOURCES.size() - 1;
    }

    private static Column text(String name, String column) {
        int s = source(column);
        return new Column(name, Kind.TEXT, List.of(column), (v, m) -> v[s]);
    }

    private static Column number(String name, String column, Kind kind) {
        int s = source(column);
        return new Column(name, kind, List.of(column), (v, m) -> v[s]);
    }

    private static Column provider(String name) {
        int s = source("provider");
        return new Column(name, Kind.TEXT, List.of("provider"), (v, m) -> Providers.displayName(v[s]));
    }

    private static Column date(String name, String column, Function<Period, String> otherwise) {
        int s = source(column);
        return new Column(name, Kind.DATETIME, List.of(column), (v, m) -> v[s] == null ? otherwise.apply(m) : v[s]);
    }

    /** The name the line states, else the one its invoices state (ledger_account), else the id. */
    private static Column billingAccountName() {
        List<String> columns = List.of("billing_account_name", "account_name", "account_id");
        int[] s = columns.stream().mapToInt(FocusColumns::source).toArray();
        return new Column("BillingAccountName", Kind.TEXT, columns, (v, m) -> {
            for (int i : s) {
                if (v[i] != null && !v[i].isBlank()) {
                    return v[i];
                }
            }
            return null;
        });
    }

    /** What makes a day (YYYY-MM-DD) a UTC datetime. */
    private static final String MIDNIGHT_UTC = "T00:00:00Z";

    /** A number as a row holds it (its text) or as a reader of the file gives it back. */
    private static String number(Object value) {
        return value instanceof BigDecimal d ? d.toPlainString() : (String) value;
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
            case NUMBER -> Amounts.text(number(value), 1);
            case MONEY -> Amounts.text(number(value), 2);
            case DATETIME -> value + MIDNIGHT_UTC;
        };
    }
}
