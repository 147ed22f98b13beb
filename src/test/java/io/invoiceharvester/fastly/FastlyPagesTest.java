package io.invoiceharvester.fastly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A listing's page bound from meta.total and meta.limit, whatever two int32 values a server sends. */
class FastlyPagesTest {

    @Test
    void hugeTotalsAndLimitsDoNotOverflowIntoARefusalOfTheSecondPage() {
        FastlyPages pages = new FastlyPages();
        pages.advance("c-1", Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertTrue(pages.hasNext(), "a listing of 2^31-1 invoices, as many a page, has a second page");
        pages.advance("c-2", Integer.MAX_VALUE, 2);
        assertEquals("c-2", pages.cursor());
    }

    @Test
    void aServerOfferingMorePagesThanItsTotalAllowsIsStopped() {
        FastlyPages pages = new FastlyPages();
        // one page holds the total; with slack, twice that plus two
        pages.advance("c-1", 1, 200);
        pages.advance("c-2", 1, 200);
        pages.advance("c-3", 1, 200);
        IllegalStateException stopped = assertThrows(IllegalStateException.class, () -> pages.advance("c-4", 1, 200));
        assertTrue(stopped.getMessage().contains("more than its meta.total (1 invoices, 200 a page) allows"), stopped.getMessage());
    }
}
