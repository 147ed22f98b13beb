package io.invoiceharvester.summary;

import io.invoiceharvester.ledger.table.LedgerFigures;
import io.invoiceharvester.model.Providers;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.state.SummaryRecords;
import io.invoiceharvester.values.Amounts;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One pass over the files a summary reports, a provider-account-month at a time: the overview and its
 * per-account detail, the months whose ledger data changed, and, while there are few enough to list,
 * each account-month's section. Nothing here grows with the number of files.
 */
final class SummaryScan {

    final SummaryOverview overview = new SummaryOverview();
    final List<Map<String, Object>> groups = new ArrayList<>();
    final TreeSet<YearMonth> dataMonths = new TreeSet<>();
    int fileCount;
    int groupCount;

    static SummaryScan of(LedgerFigures ledger, SummaryRecords records, String summaryId) throws SQLException, IOException {
        SummaryScan scan = new SummaryScan();
        records.forEachGroup(summaryId, group -> scan.add(ledger, group));
        return scan;
    }

    boolean detailed() {
        return groupCount <= SummaryOverview.DETAILED_GROUPS;
    }

    private void add(LedgerFigures ledger, List<SummaryRecords.File> group) throws SQLException {
        SummaryRecords.File first = group.get(0);
        YearMonth month = YearMonth.parse(first.month());
        Map<String, BigDecimal> totals = ledger.totals(first.provider(), first.accountId(), month);
        Map<String, BigDecimal> previous = ledger.totals(first.provider(), first.accountId(), month.minusMonths(1));
        List<String> flags = ledger.reconciliationFlags(first.provider(), first.accountId(), month);
        Map<String, TreeSet<String>> byType = new TreeMap<>();
        for (SummaryRecords.File f : group) {
            byType.computeIfAbsent(String.valueOf(f.invoiceType()), t -> new TreeSet<>()).add(f.invoiceId());
            if (!"application/pdf".equals(f.contentType())) {
                dataMonths.add(month);
            }
        }
        Documents documents = new Documents(byType);
        String provider = Providers.displayName(first.provider());
        overview.add(provider, first.accountId(), first.month(), documents, group.size(), totals, previous, flags);
        fileCount += group.size();
        groupCount++;
        if (!detailed()) {
            groups.clear(); // too many to list: the overview and the attached detail say it
            return;
        }
        List<Map<String, String>> totalRows = new ArrayList<>();
        for (Map.Entry<String, BigDecimal> t : totals.entrySet()) {
            BigDecimal before = previous.get(t.getKey());
            totalRows.add(Map.of("currency", t.getKey(), "amount", Amounts.money(t.getValue()),
                    "change", before == null ? "no " + month.minusMonths(1) + " figure"
                            : SummaryOverview.signed(t.getValue().subtract(before)) + " vs " + month.minusMonths(1)));
        }
        List<Map<String, String>> services = new ArrayList<>();
        for (LedgerFigures.ServiceCost s : ledger.topServices(first.provider(), first.accountId(), month, 5)) {
            // a provider's name: on one printable line, as every provider text the summary shows
            services.add(Map.of("name", FailureReport.printable(s.service()), "currency", s.currency(), "amount", Amounts.money(s.cost())));
        }
        List<String> newFiles = new ArrayList<>();
        long newVersions = 0;
        for (SummaryRecords.File f : group) {
            newFiles.add(f.invoiceId() + " v" + shortVersion(f.fileVersion()) + " " + FailureReport.printable(f.fileName())
                    + (f.newVersion() ? " (new version)" : ""));
            newVersions += f.newVersion() ? 1 : 0;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", provider);
        m.put("account", first.accountId());
        m.put("month", first.month());
        m.put("invoices", documents.count("INVOICE"));
        m.put("creditMemos", documents.count("CREDIT_MEMO"));
        m.put("debitMemos", documents.count("DEBIT_MEMO"));
        m.put("otherTypes", documents.others());
        m.put("newFiles", newFiles);
        m.put("newVersions", newVersions);
        m.put("totals", totalRows);
        m.put("services", services);
        m.put("flags", flags);
        groups.add(m);
    }

    /** An account-month's invoice documents (their ids) by type: debit memos and unknown types are counted apart. */
    record Documents(Map<String, TreeSet<String>> byType) {
        static final Set<String> KNOWN = Set.of("INVOICE", "CREDIT_MEMO", "DEBIT_MEMO");

        int count(String type) {
            return byType.getOrDefault(type, new TreeSet<>()).size();
        }

        /** Types the harvester does not know, with their counts ("REBATE_NOTE (1)"), or empty. */
        String others() {
            return byType.entrySet().stream().filter(e -> !KNOWN.contains(e.getKey()))
                    .map(e -> e.getKey() + " (" + e.getValue().size() + ")").collect(Collectors.joining(", "));
        }
    }

    private static String shortVersion(String version) {
        return version == null || version.length() <= 12 ? version : version.substring(0, 12);
    }
}
