package io.invoiceharvester.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.delivery.InvalidContentException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetriesTest {

    @Test
    void transientFailuresAreRetriedWithinTheAttemptAndWaitBounds() {
        Retries retries = new Retries(5, 1000, Duration.ofSeconds(10));
        IOException reset = new IOException("Connection reset");
        assertTrue(retries.again(reset, 1, 0), "1 s waited before the 2nd attempt");
        assertTrue(retries.again(reset, 2, 0), "1 + 2 s before the 3rd");
        assertTrue(retries.again(reset, 3, 0), "1 + 2 + 4 s before the 4th");
        assertFalse(retries.again(reset, 4, 0), "1 + 2 + 4 + 8 s would pass harvester.retry.max-wait (10 s)");
        assertFalse(new Retries(3, 10, Duration.ofMinutes(10)).again(reset, 3, 0), "3 attempts at most");
        assertFalse(retries.again(new InvalidContentException("not a PDF"), 1, 0), "bad content is not retried");
    }
}
