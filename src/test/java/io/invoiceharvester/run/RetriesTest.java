package io.invoiceharvester.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.model.InvalidContentException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetriesTest {

    @Test
    void transientFailuresAreRetriedWithinTheAttemptAndWaitBounds() {
        Backoff doubling = new Backoff(1000, 2, 60_000);
        Retries retries = new Retries(5, Duration.ofSeconds(10), doubling);
        IOException reset = new IOException("Connection reset");
        assertTrue(retries.again(reset, 1, 0, doubling), "1 s waited before the 2nd attempt");
        assertTrue(retries.again(reset, 2, 0, doubling), "1 + 2 s before the 3rd");
        assertTrue(retries.again(reset, 3, 0, doubling), "1 + 2 + 4 s before the 4th");
        assertFalse(retries.again(reset, 4, 0, doubling), "1 + 2 + 4 + 8 s would pass harvester.retry.max-wait (10 s)");
        assertFalse(new Retries(3, Duration.ofMinutes(10), doubling).again(reset, 3, 0, doubling), "3 attempts at most");
        assertFalse(retries.again(new InvalidContentException("not a PDF"), 1, 0, doubling), "bad content is not retried");
    }

    @Test
    void aWaitStopsGrowingAtTheMaximumDelay() {
        assertTrue(new Backoff(1000, 2, 3000).waitedBefore(4) == 1000 + 2000 + 3000 + 3000);
    }
}
