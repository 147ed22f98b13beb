package io.invoiceharvester.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitWaitTest {

    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    final RateLimitWait wait = new RateLimitWait(Duration.ofMinutes(10), clock, new Retries(5, Duration.ofMinutes(10), new Backoff(1000, 2, 60_000)), null);

    Duration waitFor(Map<String, String> headers) {
        return wait.waitFor(headers);
    }

    @Test
    void waitsUntilTheProvidersResetWithinTheBound() throws Exception {
        long now = clock.instant().getEpochSecond();
        assertEquals(Duration.ofSeconds(42), waitFor(Map.of("fastly-ratelimit-reset", Long.toString(now + 42))));
        assertEquals(Duration.ofSeconds(7), waitFor(Map.of("Retry-After", "7")));
        assertEquals(Duration.ofSeconds(30), waitFor(Map.of("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT")));
        assertEquals(Duration.ofMinutes(10), waitFor(Map.of("Fastly-RateLimit-Reset", Long.toString(now + 86_400))),
                "bounded by harvester.retry.max-wait");
        assertEquals(Duration.ZERO, waitFor(Map.of("Fastly-RateLimit-Reset", Long.toString(now - 5))));
        assertEquals(Duration.ZERO, waitFor(Map.of()));
        assertEquals(Duration.ofSeconds(60), waitFor(Map.of("X-RateLimit-Limit", "500", "X-RateLimit-Remaining", "0")),
                "Akamai: to the next minute");
        RateLimitWait later = new RateLimitWait(Duration.ofMinutes(10),
                Clock.fixed(Instant.parse("2026-01-01T00:00:45Z"), ZoneOffset.UTC), new Retries(5, Duration.ofMinutes(10), new Backoff(1000, 2, 60_000)), null);
        assertEquals(Duration.ofSeconds(15), later.waitFor(Map.of("X-RateLimit-Limit", "500")));
    }

    @Test
    void akamaisBodySaysWhenTheNextRequestMayGoAndOutranksTheHeaders() {
        String body = "{\"title\": \"Too Many Requests\", \"rateLimitReset\": \"2026-01-01T00:01:00Z\","
                + " \"rateLimitNextRequest\": \"2026-01-01T00:00:12Z\"}";
        assertEquals(Duration.ofSeconds(12), wait.waitFor(Map.of("Retry-After", "40"), body));
        assertEquals(Duration.ofSeconds(60), wait.waitFor(Map.of(), "{\"rateLimitReset\": \"2026-01-01T01:01:00+01:00\"}"),
                "the window's reset when no next request is named; any offset");
        assertEquals(Duration.ofSeconds(40), wait.waitFor(Map.of("Retry-After", "40"), "<html>busy</html>"), "no JSON: the headers");
        assertEquals(Duration.ofMinutes(10), wait.waitFor(Map.of(), "{\"rateLimitNextRequest\": \"2026-01-02T00:00:00Z\"}"),
                "bounded by harvester.retry.max-wait");
    }
}
