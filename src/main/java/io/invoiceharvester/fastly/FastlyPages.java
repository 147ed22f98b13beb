package io.invoiceharvester.fastly;

import java.util.HashSet;
import java.util.Set;

/**
 * The cursor loop of one Fastly list: goes on while there is a next cursor, stops on one seen before, and
 * stops after as many pages as the listing can have (meta.total over the page size, with slack; without a
 * meta.total, {@value #CEILING}), so a server that hands out fresh cursors for ever cannot keep a run going.
 * An invoice that two pages both list is fetched once.
 */
public final class FastlyPages {

    /** The most pages any listing is followed for: a month of one customer's invoices fits in one. */
    static final int CEILING = 1000;

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

    /**
     * @param total meta.total, or null when the page did not say
     * @param limit meta.limit (the page size the server used), or null
     */
    void advance(String nextCursor, Integer total, Integer limit) {
        pages++;
        if (nextCursor == null || nextCursor.isBlank()) {
            more = false;
            return;
        }
        if (!seen.add(nextCursor)) {
            more = false;
            throw new IllegalStateException("Fastly repeated the list cursor '" + clip(nextCursor) + "' after " + pages
                    + " pages: stopped instead of looping");
        }
        int size = limit != null && limit > 0 ? limit : FastlyRequests.PAGE_SIZE;
        // in long: two int32 values a server sends must not overflow into a bound of zero or less
        int cap = total == null || total < 0 ? CEILING : (int) Math.min(CEILING, 2L * ((total + (long) size - 1) / size) + 2);
        if (pages >= cap) {
            more = false;
            throw new IllegalStateException("Fastly offered another page after " + pages + " pages, "
                    + (total == null ? "the most a listing is followed for" : "more than its meta.total (" + total
                    + " invoices, " + size + " a page) allows") + ": stopped instead of paging on");
        }
        cursor = nextCursor;
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
