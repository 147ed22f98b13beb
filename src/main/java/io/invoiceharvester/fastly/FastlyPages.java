package io.invoiceharvester.fastly;

import java.util.HashSet;
import java.util.Set;

/** The cursor loop of one Fastly list: goes on while there is a next cursor, stops on one seen before. */
public final class FastlyPages {

    private final Set<String> seen = new HashSet<>();
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
