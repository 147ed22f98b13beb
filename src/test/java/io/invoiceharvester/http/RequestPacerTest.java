package io.invoiceharvester.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestPacerTest {

    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void requestsOfOneAccountAreSpacedEvenlyAndAccountsDoNotWaitForEachOther() {
        RequestPacer pacer = new RequestPacer(600); // one every 100 ms
        long t0 = 1_000_000 * MS;
        assertEquals(0, pacer.reserve("1-A:1-X", t0));
        assertEquals(100 * MS, pacer.reserve("1-A:1-X", t0));
        assertEquals(200 * MS, pacer.reserve("1-A:1-X", t0));
        assertEquals(0, pacer.reserve("1-B:1-Y", t0), "another account has its own limit");
        assertEquals(0, pacer.reserve("1-A:1-X", t0 + 1000 * MS), "an idle account does not bank a burst");
        assertEquals(100 * MS, pacer.reserve("1-A:1-X", t0 + 1000 * MS));
    }

    @Test
    void sendsStayAnIntervalApartWhenTheWaitForASlotBunchedThem() {
        RequestPacer pacer = new RequestPacer(600); // one every 100 ms
        long t0 = 1_000_000 * MS;
        assertEquals(0, pacer.reserve("1-A:1-X", t0));
        assertEquals(100 * MS, pacer.reserve("1-A:1-X", t0));
        // the first waited 150 ms for a slot, the second none: they reach the send together at t0 + 150 ms
        assertEquals(0, pacer.reserveSend("1-A:1-X", t0 + 150 * MS));
        assertEquals(100 * MS, pacer.reserveSend("1-A:1-X", t0 + 150 * MS), "the second goes one interval after the first");
        assertEquals(0, pacer.reserveSend("1-B:1-Y", t0 + 150 * MS), "another account sends at once");
    }
}
