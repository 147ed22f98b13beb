package io.invoiceharvester.ledger.read;

import io.invoiceharvester.ledger.read.CsvLayout.Role;
import io.invoiceharvester.ledger.table.LedgerLine;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Providers;
import io.invoiceharvester.values.Amounts;
import io.invoiceharvester.values.IsoDates;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a CSV's records into ledger lines by its layout (CsvLayout): columns are found by header name,
 * dates and numbers read as the layout writes them. Any bad cell stops the file with its row and column
 * named; the caller's transaction keeps the ledger untouched. A row stating another invoice or account
 * than the file's list entry is refused. The records come in order, a batch at a time (ledger-csv's split); the
 * file's first record is its header, which the layout was chosen by.
 */
public final class CsvNormalizer {

    static final int MAX_FIELD_CHARS = 32_768;

    private final CsvLayout layout;
    private final ListedFile entry;
    private final List<String> names = new ArrayList<>();
    private final Map<Role, List<Integer>> columns = new EnumMap<>(Role.class);
    private final List<Integer> unknown = new ArrayList<>();
    private int row;

    CsvNormalizer(CsvLayout layout, List<String> header, ListedFile entry) {
        this.layout = layout;
        this.entry = entry;
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String raw = header.get(i);
            names.add((raw.startsWith("\uFEFF") ? raw.substring(1) : raw).trim().toUpperCase(Locale.ROOT));
            byName.putIfAbsent(CsvLayout.normalize(raw), i);
            if (!layout.knows(CsvLayout.normalize(raw))) {
                unknown.add(i);
            }
        }
        layout.columns.forEach((role, headers) -> columns.put(role, headers.stream().map(byName::get)
                .filter(Objects::nonNull).toList()));
    }

    /** The layout's name, for the log. */
    String layoutName() {
        return layout.name;
    }

    /** The ledger lines of the file's next records; the first record of all is the header, and gives none. */
    public List<LedgerLine> lines(List<List<String>> records) {
        List<LedgerLine> out = new ArrayList<>(records.size() + records.size() / 2);
        for (List<String> record : records) {
            if (++row == 1 || record.size() == 1 && record.get(0).isBlank()) {
                continue;
            }
            if (record.size() != names.size()) {
                throw new InvalidContentException("row " + row + ": " + record.size() + " columns where the header has "
                        + names.size());
            }
            out.addAll(new Row(row, record).lines());
        }
        return out;
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
                    throw bad(names.get(i), "longer than " + MAX_FIELD_CHARS + " characters");
                }
                Cells.text(cells.get(i), "row " + number + ", column " + names.get(i));
            }
        }

        List<LedgerLine> lines() {
            try {
                ListEntryMatch.invoice(name(Role.INVOICE_ID), text(Role.INVOICE_ID), entry);
                ListEntryMatch.account(name(Role.ACCOUNT_ID), text(Role.ACCOUNT_ID), entry);
            } catch (InvalidContentException e) {
                throw new InvalidContentException("row " + number + ": " + e.getMessage());
            }
            Charge c = new Charge(Providers.displayName(entry.getProvider()));
            c.accountName = text(Role.ACCOUNT_NAME);
            c.start = date(Role.START_DATE);
            LocalDate end = date(Role.END_DATE);
            LocalDate last = date(Role.LAST_DATE);
            c.endExclusive = end != null ? end : last != null ? last.plusDays(1)
                    : !columns.containsKey(Role.END_DATE) && !columns.containsKey(Role.LAST_DATE) && c.start != null
                    ? c.start.plusDays(1) : null; // a layout without an end: a row is one day's
            c.description = text(Role.DESCRIPTION);
            c.serviceName = text(Role.SERVICE);
            c.productLine = text(Role.PRODUCT_LINE);
            c.service = ServiceCatalog.of(c.productLine != null ? c.productLine : layout.categoryHint, null, c.serviceName);
            c.regionId = text(Role.REGION);
            c.regionName = c.regionId;
            c.skuId = text(Role.SKU);
            String itemType = text(Role.ITEM_TYPE);
            c.itemType = itemType != null ? itemType : layout.itemType;
            c.quantity = number(Role.QUANTITY);
            c.unitMeasure = text(Role.UNIT);
            c.unit = Units.of(c.unitMeasure);
            c.unitPrice = number(Role.UNIT_PRICE);
            c.currency = currency();
            c.sourceColumns = unknownColumns();
            BigDecimal cost = required(Role.COST, number(Role.COST));
            BigDecimal tax = columns.containsKey(Role.TOTAL) ? required(Role.TOTAL, number(Role.TOTAL)).subtract(cost)
                    : number(Role.TAX);
            String frequency = layout.usageItemTypes == null || c.itemType != null
                    && layout.usageItemTypes.contains(c.itemType.toUpperCase(Locale.ROOT)) ? Charge.USAGE_BASED : Charge.RECURRING;
            try {
                return c.serviceAndTax(frequency, cost, tax);
            } catch (InvalidContentException e) {
                throw new InvalidContentException("row " + number + ": " + e.getMessage());
            }
        }

        /** The role's first column that holds a value in this row, or the first it names. */
        private int index(Role role) {
            List<Integer> at = columns.getOrDefault(role, List.of());
            for (int i : at) {
                if (!cells.get(i).isBlank()) {
                    return i;
                }
            }
            return at.isEmpty() ? -1 : at.get(0);
        }

        private String name(Role role) {
            int i = index(role);
            return i < 0 ? role.key() : names.get(i);
        }

        /** The role's value, trimmed; null when empty, or required and missing. */
        String text(Role role) {
            int i = index(role);
            String v = i < 0 ? "" : cells.get(i).trim();
            if (v.isEmpty()) {
                if (layout.required.contains(role)) {
                    throw bad(name(role), "is empty; the layout " + layout.name + " requires it");
                }
                return null;
            }
            return v;
        }

        BigDecimal number(Role role) {
            String v = text(role);
            if (v == null) {
                return null;
            }
            String plain = layout.groupingSeparator == 0 ? v : v.replace(String.valueOf(layout.groupingSeparator), "");
            try {
                return Amounts.parse(layout.decimalSeparator == '.' ? plain : plain.replace(layout.decimalSeparator, '.'));
            } catch (NumberFormatException e) {
                throw bad(name(role), clip(e.getMessage(), 120));
            }
        }

        private BigDecimal required(Role role, BigDecimal v) {
            if (v == null) {
                throw bad(name(role), "is empty; an amount is required");
            }
            return v;
        }

        LocalDate date(Role role) {
            String v = text(role);
            if (v == null) {
                return null;
            }
            if (layout.dateFormat == null) {
                OffsetDateTime t = IsoDates.utc(v);
                if (t == null) {
                    throw bad(name(role), "'" + clip(v, 40) + "' is not a date (ISO 8601)");
                }
                return t.toLocalDate();
            }
            try {
                return LocalDate.parse(v, layout.dateFormat);
            } catch (DateTimeParseException notDate) {
                try {
                    return LocalDateTime.parse(v, layout.dateFormat).toLocalDate();
                } catch (DateTimeParseException notDateTime) {
                    throw bad(name(role), "'" + clip(v, 40) + "' is not a date (" + layout.datePattern + ")");
                }
            }
        }

        /** The first currency column with a value; without currency columns, the invoice list's currency. */
        String currency() {
            if (!columns.containsKey(Role.CURRENCY)) {
                if (entry.getInvoiceCurrency() == null) {
                    throw new InvalidContentException("row " + number + ": the layout " + layout.name
                            + " has no currency column and the invoice list states no currency");
                }
                return Currencies.iso(entry.getInvoiceCurrency(), "row " + number + ", the invoice list's currency");
            }
            int i = index(Role.CURRENCY);
            return Currencies.iso(i < 0 ? "" : cells.get(i), "row " + number + ", column " + name(Role.CURRENCY));
        }

        /** Columns the layout does not know, as a JSON object (x_SourceColumns): kept, not lost. */
        String unknownColumns() {
            Map<String, String> extra = null;
            for (int i : unknown) {
                if (!cells.get(i).isEmpty()) {
                    if (extra == null) {
                        extra = new LinkedHashMap<>();
                    }
                    extra.put(names.get(i), cells.get(i));
                }
            }
            return extra == null ? null : SourceColumns.json(extra);
        }

        InvalidContentException bad(String column, String what) {
            return new InvalidContentException("row " + number + ", column " + column + ": " + what);
        }
    }

    private static String clip(String v, int max) {
        return v.length() > max ? v.substring(0, max - 3) + "..." : v;
    }
}
