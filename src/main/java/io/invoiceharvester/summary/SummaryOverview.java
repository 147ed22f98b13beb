package io.invoiceharvester.summary;

import io.invoiceharvester.ledger.export.SpreadsheetCopy;
import io.invoiceharvester.values.Amounts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * What a summary leads with, however many accounts it covers: the billed totals per provider, currency
 * and month, each against the same accounts' previous month, and every reconciliation flag. When there
 * are more account-months than a mail can list readably, their detail is a CSV attachment instead.
 */
final class SummaryOverview {

    /** Account-months a mail body lists one by one; above this, the detail is attached. */
    static final int DETAILED_GROUPS = 20;
    static final String DETAILS_FILE = "summary-details.csv";

    private record Key(String provider, String currency, String month) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return (provider + '\t' + currency + '\t' + month).compareTo(o.provider + '\t' + o.currency + '\t' + o.month);
        }
    }

    private final Map<Key, BigDecimal[]> totals = new TreeMap<>();
    private final List<String> flags = new ArrayList<>();
    private final List<List<String>> details = new ArrayList<>();

    /** One account-month: its totals per currency, the previous month's (null where there is none), its flags. */
    void add(String provider, String account, String month, SummaryScan.Documents documents, int newFiles,
             Map<String, BigDecimal> current, Map<String, BigDecimal> previous, List<String> groupFlags) {
        String invoices = Integer.toString(documents.count("INVOICE"));
        String creditMemos = Integer.toString(documents.count("CREDIT_MEMO"));
        String debitMemos = Integer.toString(documents.count("DEBIT_MEMO"));
        for (Map.Entry<String, BigDecimal> t : current.entrySet()) {
            BigDecimal[] sums = totals.computeIfAbsent(new Key(provider, t.getKey(), month), k -> new BigDecimal[2]);
            sums[0] = sums[0] == null ? t.getValue() : sums[0].add(t.getValue());
            BigDecimal before = previous.get(t.getKey());
            if (before != null) {
                sums[1] = sums[1] == null ? before : sums[1].add(before);
            }
            details.add(List.of(provider, account, month, invoices, creditMemos, Integer.toString(newFiles), t.getKey(),
                    Amounts.money(t.getValue()), before == null ? "" : Amounts.money(before), debitMemos, documents.others()));
        }
        if (current.isEmpty()) {
            details.add(List.of(provider, account, month, invoices, creditMemos, Integer.toString(newFiles), "", "", "",
                    debitMemos, documents.others()));
        }
        for (String f : groupFlags) {
            flags.add(provider + " " + account + " " + month + ": " + f);
        }
    }

    /** Rows of provider, currency, month, total and its change against the previous month. */
    List<Map<String, String>> rows() {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map.Entry<Key, BigDecimal[]> e : totals.entrySet()) {
            Key k = e.getKey();
            BigDecimal[] sums = e.getValue();
            out.add(Map.of("provider", k.provider(), "currency", k.currency(), "month", k.month(), "amount", Amounts.money(sums[0]),
                    "change", sums[1] == null ? "no previous month" : signed(sums[0].subtract(sums[1])) + " vs previous month"));
        }
        return out;
    }

    List<String> flags() {
        return flags;
    }

    /** The per-account detail as a CSV a person opens: provider text cannot run as a formula. */
    byte[] detailsCsv() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CSVPrinter out = new CSVPrinter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), CSVFormat.RFC4180)) {
            out.printRecord("provider", "account", "month", "invoices", "credit_memos", "new_files", "currency", "total",
                    "previous_month_total", "debit_memos", "other_types");
            for (List<String> row : details) {
                List<String> safe = new ArrayList<>(row.size());
                for (int i = 0; i < row.size(); i++) {
                    String v = row.get(i);
                    // amounts (7, 8) stay numbers: a credit is legitimately negative
                    safe.add(i != 7 && i != 8 && SpreadsheetCopy.isFormula(v) ? "'" + v : v);
                }
                out.printRecord(safe);
            }
        }
        return bytes.toByteArray();
    }

    static String signed(BigDecimal v) {
        return (v.signum() >= 0 ? "+" : "") + Amounts.money(v);
    }
}
