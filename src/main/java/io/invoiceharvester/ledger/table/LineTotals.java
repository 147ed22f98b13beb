package io.invoiceharvester.ledger.table;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a batch of an invoice's lines held, summed while they were written, so that no query scans them again: the
 * count, the billed cost per currency, and the distinct account names (null when there were too many to keep). A
 * file's batches add up (ledger-csv's split, LedgerTotals) to what its invoice is reconciled with.
 */
public record LineTotals(int count, Map<String, BigDecimal> billed, Set<String> accountNames) {

    static final int MAX_NAMES = 64;

    public LineTotals plus(LineTotals other) {
        Map<String, BigDecimal> sums = new TreeMap<>(billed);
        other.billed.forEach((currency, amount) -> sums.merge(currency, amount, BigDecimal::add));
        Set<String> names = null;
        if (accountNames != null && other.accountNames != null) {
            names = new HashSet<>(accountNames);
            names.addAll(other.accountNames);
            names = names.size() > MAX_NAMES ? null : names;
        }
        return new LineTotals(count + other.count, sums, names);
    }
}
