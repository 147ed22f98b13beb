package io.invoiceharvester.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.ops.HarvesterMetrics;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.values.IsoDates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before every retry: counted (harvester_retries_total). Before a retry of a 429: waits until the provider says the next request may go. Akamai documents it in
 * the 429's problem+json body (rateLimitNextRequest, else rateLimitReset: date-times) and no header;
 * otherwise the headers say it: Fastly-RateLimit-Reset (epoch seconds), Retry-After (seconds or an HTTP
 * date), or, for a per-minute limit announced in X-RateLimit-* without a reset time, the next minute.
 * Bounded by what is left of harvester.retry.max-wait for the request.
 */
public class RateLimitWait implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitWait.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration bound;
    private final Clock clock;
    private final Retries retries;
    private final HarvesterMetrics metrics;

    public RateLimitWait(Duration bound, Clock clock, Retries retries, HarvesterMetrics metrics) {
        this.bound = bound;
        this.clock = clock;
        this.retries = retries;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        boolean rateLimited = error instanceof HttpOperationFailedException h429 && h429.getStatusCode() == 429;
        Object item = exchange.getProperty(ExchangeProperties.ITEM);
        LOG.warn("trying again ({} of {}): {}: {}", exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1,
                retries.attempts(), item == null ? "run step " + exchange.getProperty(Exchange.FAILURE_ROUTE_ID) : FailureReport.printable(
                        String.valueOf(item)), FailureReport.printable(FailureReport.describe(error)));
        metrics.retried(item instanceof ListedFile f ? f.getProvider() : item instanceof Listing l ? l.getProvider() : "none",
                rateLimited);
        if (error instanceof HttpOperationFailedException h && h.getStatusCode() == 429) {
            // every wait of a request counts against harvester.retry.max-wait, backoff and rate limits alike
            int redelivery = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
            long waited = exchange.getProperty(ExchangeProperties.RATE_LIMITED_MILLIS, 0L, Long.class);
            long wait = Math.min(waitFor(h.getResponseHeaders(), h.getResponseBody()).toMillis(),
                    retries.remaining(redelivery, waited));
            if (wait > 0) {
                LOG.warn("rate limited (429): waiting {} ms as the provider asks", wait);
                Thread.sleep(wait);
                exchange.setProperty(ExchangeProperties.RATE_LIMITED_MILLIS, waited + wait);
            }
        }
    }

    Duration waitFor(Map<String, String> headers, String body) {
        Instant next = nextRequest(body);
        if (next != null) {
            return bounded(Duration.between(clock.instant(), next));
        }
        return waitFor(headers);
    }

    /** Akamai's 429 body: when the next request may go (rateLimitNextRequest), else when the window resets. */
    private static Instant nextRequest(String body) {
        if (body == null || body.isBlank() || body.length() > 64 * 1024) {
            return null;
        }
        try {
            JsonNode problem = JSON.readTree(body);
            for (String field : new String[] {"rateLimitNextRequest", "rateLimitReset"}) {
                Instant t = IsoDates.instant(problem.path(field).asText(null));
                if (t != null) {
                    return t;
                }
            }
        } catch (JsonProcessingException e) {
            // not JSON: the headers say it, or nothing does
        }
        return null;
    }

    Duration waitFor(Map<String, String> headers) {
        Duration wait = Duration.ZERO;
        String reset = header(headers, "Fastly-RateLimit-Reset");
        String retryAfter = header(headers, "Retry-After");
        try {
            if (reset != null) {
                wait = Duration.ofSeconds(Long.parseLong(reset.trim()) - clock.instant().getEpochSecond());
            } else if (retryAfter != null && retryAfter.trim().matches("\\d+")) {
                wait = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
            } else if (retryAfter != null) {
                wait = Duration.between(clock.instant(), ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } else if (header(headers, "X-RateLimit-Limit") != null) {
                long now = clock.millis();
                wait = Duration.ofMillis(60_000 - now % 60_000);
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            return Duration.ZERO;
        }
        return bounded(wait);
    }

    private Duration bounded(Duration wait) {
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(bound) > 0 ? bound : wait;
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
