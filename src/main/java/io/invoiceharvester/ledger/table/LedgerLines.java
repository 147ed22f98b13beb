package io.invoiceharvester.ledger.table;

import io.invoiceharvester.model.ListedFile;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes an invoice's ledger lines inside the ledger's transaction (LedgerWrite), a batch at a time, numbered in
 * order across batches: on PostgreSQL by COPY (its bulk path, one stream for the whole file), elsewhere as
 * batched inserts. Each batch's lines are summed as they pass, so no query scans them again.
 */
final class LedgerLines implements AutoCloseable {

    private static final String LINE_COLUMNS = "provider, account_id, invoice_id, source_type, line_no, billing_account_name,"
            + " sub_account_id, sub_account_name, charge_period_start, charge_period_end, charge_category, charge_class,"
            + " charge_frequency, charge_description, service_name, service_category, service_subcategory, region_id,"
            + " region_name, sku_id, pricing_category, pricing_quantity, pricing_unit, contracted_unit_price,"
            + " consumed_quantity, consumed_unit, contracted_cost, billed_cost, billing_currency, item_type, unit_measure,"
            + " product_line, product_group, billing_region, credit_coupon_code, source_columns";
    private static final int LINE_COLUMN_COUNT = 36;
    /** Positions in {@link #row}: what the tally sums. */
    private static final int ACCOUNT_NAME = 5;
    private static final int BILLED_COST = 27;
    private static final int BILLING_CURRENCY = 28;
    private static final int COPY_CHUNK = 1 << 16;

    private final ListedFile file;
    private final CopyIn copy;
    private final StringBuilder chunk;
    private final PreparedStatement insert;
    private int lineNo;

    private LedgerLines(ListedFile file, CopyIn copy, PreparedStatement insert) {
        this.file = file;
        this.copy = copy;
        this.insert = insert;
        this.chunk = copy == null ? null : new StringBuilder(COPY_CHUNK + 4096);
    }

    static LedgerLines open(Connection c, ListedFile f) throws SQLException {
        if (c.isWrapperFor(PGConnection.class)) {
            return new LedgerLines(f, c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY ledger_line (" + LINE_COLUMNS
                    + ") FROM STDIN WITH (FORMAT csv)"), null);
        }
        String marks = String.join(", ", Collections.nCopies(LINE_COLUMN_COUNT, "?"));
        return new LedgerLines(f, null, c.prepareStatement("INSERT INTO ledger_line (" + LINE_COLUMNS + ") VALUES (" + marks + ")"));
    }

    /** The next lines of the file, written; their totals. */
    LineTotals write(List<LedgerLine> lines) throws SQLException {
        Map<String, BigDecimal> billed = new TreeMap<>();
        Set<String> names = new HashSet<>();
        for (LedgerLine line : lines) {
            Object[] row = row(file, ++lineNo, line);
            billed.merge((String) row[BILLING_CURRENCY], (BigDecimal) row[BILLED_COST], BigDecimal::add);
            if (names != null && row[ACCOUNT_NAME] != null) {
                names.add((String) row[ACCOUNT_NAME]);
                names = names.size() > LineTotals.MAX_NAMES ? null : names;
            }
            if (copy != null) {
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        chunk.append(',');
                    }
                    copyField(chunk, row[i]);
                }
                chunk.append('\n');
                if (chunk.length() >= COPY_CHUNK) {
                    send(copy, chunk);
                }
            } else {
                for (int i = 0; i < row.length; i++) {
                    if (row[i] instanceof LocalDate d) {
                        insert.setDate(i + 1, Date.valueOf(d));
                    } else if (row[i] == null) {
                        insert.setNull(i + 1, Types.NULL);
                    } else {
                        insert.setObject(i + 1, row[i]);
                    }
                }
                insert.addBatch();
            }
        }
        if (insert != null) {
            insert.executeBatch();
        }
        return new LineTotals(lines.size(), billed, names);
    }

    /** Every line is in the table: the COPY ends (before the transaction's other statements may run). */
    void finish() throws SQLException {
        if (copy != null) {
            send(copy, chunk);
            copy.endCopy();
        }
    }

    @Override
    public void close() throws SQLException {
        if (copy != null && copy.isActive()) {
            copy.cancelCopy();
        }
        if (insert != null) {
            insert.close();
        }
    }

    /**
     * One field of COPY's CSV: NULL is an empty field, text is quoted (so an empty string stays one), a
     * quote doubled; numbers and dates as their plain text.
     */
    private static void copyField(StringBuilder out, Object v) {
        if (v == null) {
            return;
        }
        if (v instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else if (v instanceof String text) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    out.append('"');
                }
                out.append(c);
            }
            out.append('"');
        } else {
            out.append(v);
        }
    }

    private static void send(CopyIn copy, StringBuilder chunk) throws SQLException {
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        chunk.setLength(0);
    }

    /** One ledger_line row, in {@link #LINE_COLUMNS}' order, text clipped to its column. */
    private static Object[] row(ListedFile f, int lineNo, LedgerLine l) {
        return new Object[] {f.getProvider(), f.getAccountId(), f.getInvoiceId(), f.getSourceType(), lineNo,
            clip(l.billingAccountName(), 512), clip(l.subAccountId(), 128), clip(l.subAccountName(), 512),
            l.chargePeriodStart(), l.chargePeriodEnd(), l.chargeCategory(),
            // a credit memo corrects charges of an earlier invoice: its lines keep their category
            f.isCorrection() ? "Correction" : null,
            l.chargeFrequency(), clip(l.chargeDescription(), 2048), clip(l.serviceName(), 512), l.serviceCategory(),
            l.serviceSubcategory(), clip(l.regionId(), 128), clip(l.regionName(), 128), clip(l.skuId(), 128),
            l.pricingCategory(), l.pricingQuantity(), clip(l.pricingUnit(), 64), l.contractedUnitPrice(),
            l.consumedQuantity(), clip(l.consumedUnit(), 64), l.contractedCost(), l.billedCost(), l.billingCurrency(),
            clip(l.itemType(), 32), clip(l.unitMeasure(), 64), clip(l.productLine(), 255), clip(l.productGroup(), 255),
            clip(l.billingRegion(), 128), clip(l.creditCouponCode(), 128), clip(l.sourceColumns(), 4000)};
    }

    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
