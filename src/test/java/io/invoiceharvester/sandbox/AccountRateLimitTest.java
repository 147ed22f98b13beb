package io.invoiceharvester.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AccountRateLimitTest {

    @Test
    void theRequestOverAnAccountsMinuteIsRefusedAndCountedOthersAreNot() {
        AccountRateLimit limit = new AccountRateLimit(500);
        long t0 = TimeUnit.HOURS.toNanos(1);
        for (int i = 0; i < 500; i++) {
            assertEquals(499 - i, limit.admit("1-A:1-X", t0 + i));
        }
        assertEquals(-1, limit.admit("1-A:1-X", t0 + TimeUnit.SECONDS.toNanos(59)));
        assertEquals(499, limit.admit("1-B:1-Y", t0 + 1), "each account has a minute of its own");
        assertEquals(1, limit.refused());
        assertEquals(499, limit.admit("1-A:1-X", t0 + TimeUnit.SECONDS.toNanos(60) + 499), "a minute later the first 500 have left the window");
    }

    @Test
    void theRefusalIsAkamaisDocumentedProblemBodySayingWhenTheNextRequestMayGo() {
        AccountRateLimit limit = new AccountRateLimit(2);
        assertEquals(null, limit.admit("1-A:1-X"));
        assertEquals(null, limit.admit("1-A:1-X"));
        java.time.Instant before = java.time.Instant.now();

        com.fasterxml.jackson.databind.JsonNode problem = limit.admit("1-A:1-X");

        assertEquals(2, problem.path("rateLimit").asInt());
        assertEquals(0, problem.path("rateLimitRemaining").asInt());
        java.time.Instant next = java.time.Instant.parse(problem.path("rateLimitNextRequest").asText());
        org.junit.jupiter.api.Assertions.assertTrue(next.isAfter(before.plusSeconds(59)) && next.isBefore(before.plusSeconds(61)),
                "a minute after the first request: " + next);
        org.junit.jupiter.api.Assertions.assertTrue(problem.hasNonNull("rateLimitReset") && problem.hasNonNull("details"));
    }
}
