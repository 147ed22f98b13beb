package io.invoiceharvester.ledger;

import io.invoiceharvester.delivery.InvalidContentException;
import io.invoiceharvester.run.FileTask;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Turns CSV records (header first) into ledger lines, mapping columns by header name. Knows Akamai's
 * invoice CSV and the COMPUTE usage layout; unknown columns are kept as provenance. Any bad cell stops
 * the file with its row and column named; the caller's transaction keeps the ledger untouched.
 */
public final class CsvNormalizer {

    static final int MAX_FIELD_CHARS = 32_768;
    static final Set<String> INVOICE_COLUMNS = Set.of("ACCOUNT_ID", "ITEM_START_DATE", "ITEM_END_DATE", "PRODUCT",
            "ITEMTYPE", "ITEM_DESC", "ITEM_CURRENCY", "ITEM_TOTAL_SERVICES", "ITEM_TOTAL");
    static final Set<String> COMPUTE_COLUMNS = Set.of("ACCOUNT_ID", "USAGE_DATE", "SERVICE", "USAGE_QUANTITY", "UNIT",
            "COST", "CURRENCY");
    private static final Set<String> INVOICE_KNOWN = Set.of("ACCOUNT_ID", "ACCOUNT_NAME", "INVOICE_START_DATE", "INVOICE_ID",
            "ITEM_START_DATE", "ITEM_END_DATE", "UNIT_MEASURE", "PRODUCT_LINE", "PRODUCT", "PRODUCT_ID", "ITEMTYPE",
            "ITEM_DESC", "ITEM_SPEC", "CUST_CURRENCY", "ITEM_CURRENCY", "ITEM_UNITS", "CUST_UNIT_PRICE", "ITEM_UNIT_PRICE",
            "CUST_TOTAL_SERVICES", "ITEM_TOTAL_SERVICES", "CUST_TAXES", "CUST_TOTAL", "ITEM_TOTAL", "ORDER_ID",
            "EFFECTIVE_END_DATE", "PARTNER_PROVIDED_IDENTIFIER");
    private static final Set<String> COMPUTE_KNOWN = Set.of("ACCOUNT_ID", "INVOICE_ID", "USAGE_DATE", "SERVICE", "REGION",
            "SKU", "USAGE_QUANTITY", "UNIT", "UNIT_PRICE", "COST", "CURRENCY");
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("MM/dd/uuuu");
    /** COMPUTE files carry no product line: their services are Akamai's cloud computing (Linode). */
    private static final String COMPUTE_PRODUCT_LINE = "Cloud Computing";

    private CsvNormalizer() {
    }

    /**
     * A lazy iterator of lines; records are read one at a time from the given (streaming) iterator. A row
     * stating another invoice or account than {@code entry} is refused.
     */
    public static Iterator<LedgerLine> lines(Iterator<List<String>> records, FileTask entry) {
        if (!records.hasNext()) {
            throw new InvalidContentException("CSV is empty: no header row");
        }
        List<String> header = new ArrayList<>(records.next());
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
            header.set(0, header.get(0).substring(1));
        }
        header.replaceAll(h -> h.trim().toUpperCase(java.util.Locale.ROOT));
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i), i);
        }
        boolean invoice = columns.keySet().containsAll(INVOICE_COLUMNS);
        boolean compute = !invoice && columns.keySet().containsAll(COMPUTE_COLUMNS);
        if (!invoice && !compute) {
            // data or blanks where names belong is no header at all; real but unknown names await a mapping
            if (header.size() < 2 || !header.stream().allMatch(h -> h.matches("[A-Z_][A-Z0-9_ ./()-]*"))) {
                throw new InvalidContentException("row 1: no recognizable CSV header (" + clip(String.join(",", header)) + ")");
            }
            throw new UnmappedLayoutException("CSV columns not recognised by any mapping: " + String.join(",", header));
        }
        return new LineIterator(records, header, columns, invoice, entry);
    }

    private static final class LineIterator implements Iterator<LedgerLine> {
        private final Iterator<List<String>> records;
        private final List<String> header;
        private final Map<String, Integer> columns;
        private final boolean invoiceLayout;
        private final Set<String> known;
        private final FileTask entry;
        private final List<LedgerLine> pending = new ArrayList<>(2);
        private int row = 1;

        LineIterator(Iterator<List<String>> records, List<String> header, Map<String, Integer> columns, boolean invoice,
                     FileTask entry) {
            this.entry = entry;
            this.records = records;
            this.header = header;
            this.columns = columns;
            this.invoiceLayout = invoice;
            this.known = invoice ? INVOICE_KNOWN : COMPUTE_KNOWN;
        }

        @Override
        public boolean hasNext() {
            while (pending.isEmpty() && records.hasNext()) {
                List<String> record = records.next();
                row++;
                if (record.size() == 1 && record.get(0).isBlank()) {
                    continue;
                }
                if (record.size() != header.size()) {
                    throw new InvalidContentException("row " + row + ": " + record.size() + " columns where the header has "
                            + header.size());
                }
                Row r = new Row(row, record);
                r.sameEntry();
                pending.addAll(invoiceLayout ? invoiceLines(r) : List.of(computeLine(r)));
            }
            return !pending.isEmpty();
        }

        @Override
        public LedgerLine next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return pending.remove(0);
        }

        private List<LedgerLine> invoiceLines(Row r) {
            Charge c = new Charge(Providers.displayName("akamai"));
            c.accountName = r.optionalText("ACCOUNT_NAME");
            c.start = r.date("ITEM_START_DATE");
            LocalDate end = r.date("ITEM_END_DATE");
            c.endExclusive = end == null ? null : end.plusDays(1);
            c.description = r.optionalText("ITEM_DESC");
            c.serviceName = r.optionalText("PRODUCT");
            c.productLine = r.optionalText("PRODUCT_LINE");
            c.service = ServiceCatalog.of(c.productLine, null, c.serviceName);
            c.skuId = r.optionalText("PRODUCT_ID");
            c.itemType = r.optionalText("ITEMTYPE");
            c.quantity = r.optionalNumber("ITEM_UNITS");
            c.unitMeasure = r.optionalText("UNIT_MEASURE");
            c.unit = Units.of(c.unitMeasure);
            c.unitPrice = r.optionalNumber("ITEM_UNIT_PRICE");
            c.currency = r.currency(r.has("ITEM_CURRENCY") && !r.text("ITEM_CURRENCY").isEmpty() ? "ITEM_CURRENCY" : "CUST_CURRENCY");
            c.sourceColumns = r.unmappedColumns();
            return c.akamaiItem(r.number("ITEM_TOTAL_SERVICES"), r.number("ITEM_TOTAL"));
        }

        /** A COMPUTE usage row: one service's usage of one day. */
        private LedgerLine computeLine(Row r) {
            Charge c = new Charge(Providers.displayName("akamai"));
            c.start = r.isoDate("USAGE_DATE");
            c.endExclusive = c.start.plusDays(1);
            c.serviceName = r.optionalText("SERVICE");
            c.description = c.serviceName;
            c.service = ServiceCatalog.of(COMPUTE_PRODUCT_LINE, null, c.serviceName);
            c.regionId = r.optionalText("REGION");
            c.regionName = c.regionId;
            c.skuId = r.optionalText("SKU");
            c.quantity = r.number("USAGE_QUANTITY");
            c.unitMeasure = r.optionalText("UNIT");
            c.unit = Units.of(c.unitMeasure);
            c.unitPrice = r.optionalNumber("UNIT_PRICE");
            c.amount = r.number("COST");
            c.currency = r.currency("CURRENCY");
            c.itemType = "COMPUTE";
            c.sourceColumns = r.unmappedColumns();
            return c.usage(Charge.USAGE_BASED);
        }

        /** One record with its row number, for errors that name row and column. */
        private final class Row {
            final int number;
            final List<String> cells;

            Row(int number, List<String> cells) {
                this.number = number;
                this.cells = cells;
                for (int i = 0; i < cells.size(); i++) {
                    if (cells.get(i) != null && cells.get(i).length() > MAX_FIELD_CHARS) {
                        throw bad(header.get(i), "longer than " + MAX_FIELD_CHARS + " characters");
                    }
                }
            }

            /** The row's own INVOICE_ID and ACCOUNT_ID, where it states them, are its list entry's. */
            void sameEntry() {
                try {
                    ListEntryMatch.invoice("INVOICE_ID", text("INVOICE_ID"), entry);
                    ListEntryMatch.account("ACCOUNT_ID", text("ACCOUNT_ID"), entry);
                } catch (InvalidContentException e) {
                    throw new InvalidContentException("row " + number + ": " + e.getMessage());
                }
            }

            boolean has(String column) {
                return columns.containsKey(column);
            }

            String text(String column) {
                Integer i = columns.get(column);
                String v = i == null ? null : cells.get(i);
                return v == null ? "" : v.trim();
            }

            BigDecimal number(String column) {
                String v = text(column);
                if (v.isEmpty()) {
                    throw bad(column, "is empty; an amount is required");
                }
                try {
                    return Amounts.parse(v);
                } catch (NumberFormatException e) {
                    throw bad(column, clip(e.getMessage(), 120));
                }
            }

            String optionalText(String column) {
                String v = text(column);
                return v.isEmpty() ? null : v;
            }

            BigDecimal optionalNumber(String column) {
                return text(column).isEmpty() ? null : number(column);
            }

            LocalDate date(String column) {
                String v = text(column);
                try {
                    return v.isEmpty() ? null : LocalDate.parse(v, US_DATE);
                } catch (DateTimeParseException e) {
                    throw bad(column, "'" + clip(v) + "' is not a date (MM/dd/yyyy)");
                }
            }

            LocalDate isoDate(String column) {
                try {
                    return LocalDate.parse(text(column));
                } catch (DateTimeParseException e) {
                    throw bad(column, "'" + clip(text(column)) + "' is not a date (yyyy-MM-dd)");
                }
            }

            String currency(String column) {
                return Currencies.iso(text(column), "row " + number + ", column " + column);
            }

            /** Columns no mapping uses, as a JSON object (x_SourceColumns): kept, not lost. */
            String unmappedColumns() {
                Map<String, String> extra = null;
                for (int i = 0; i < header.size(); i++) {
                    if (!known.contains(header.get(i)) && !cells.get(i).isEmpty()) {
                        if (extra == null) {
                            extra = new LinkedHashMap<>();
                        }
                        extra.put(header.get(i), cells.get(i));
                    }
                }
                return extra == null ? null : SourceColumns.json(extra);
            }

            InvalidContentException bad(String column, String what) {
                return new InvalidContentException("row " + number + ", column " + column + ": " + what);
            }
        }
    }

    private static String clip(String v) {
        return clip(v, 40);
    }

    private static String clip(String v, int max) {
        return v.length() > max ? v.substring(0, max - 3) + "..." : v;
    }
}
