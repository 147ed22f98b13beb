package io.invoiceharvester.fastly;

import java.util.HashSet;
import java.util.Set;

/**
 * The cursor loop of one Fastly list: goes on while there is a next cursor, stops on one seen before; an
 * invoice that two pages both list is fetched once.
 */
public final class FastlyPages {

    private final Set<String> seen = new HashSet<>();
    private final Set<String> invoices = new HashSet<>();
    private String cursor;
    private boolean more = true;
    private int pages;

    public boolean hasNext() {
        return more;
    }

    /** The cursor of the next page; null for the first. */
    public String cursor() {
        return cursor;
    }

    public int pages() {
        return pages;
    }

    /** True the first time this listing meets the invoice. */
    boolean firstSight(String invoiceId) {
        return invoices.add(invoiceId);
    }

    void advance(String nextCursor) {
        pages++;
        if (nextCursor == null || nextCursor.isBlank()) {
            more = false;
            return;
        }
        if (!seen.add(nextCursor)) {
            more = false;
            throw new IllegalStateException("Fastly repeated the list cursor '" + nextCursor + "' after " + pages
                    + " pages: stopped instead of looping");
        }
        cursor = nextCursor;
    }
}
