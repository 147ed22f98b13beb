package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * routes/error-handling.camel.yaml, through a test route that uses it: a transient failure is retried up to
 * harvester.retry.max-attempts and within harvester.retry.max-wait, with the waits the file sets; anything
 * else is not retried; both are reported and the run goes on; invalid content is quarantined.
 */
class ErrorHandlingRouteTest {

    /** A route of the harvester's error handling whose one step fails as the test says. */
    abstract static class FailingStep extends RouteFileTest {

        final AtomicInteger attempts = new AtomicInteger();
        volatile Exception failure;

        @Override
        protected List<String> routeFiles() {
            return List.of();
        }

        @Override
        protected RoutesBuilder createRouteBuilder() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:failing-step").routeId("failing-step").routeConfigurationId("harvester-error-handling").process(e -> {
                        attempts.incrementAndGet();
                        throw failure;
                    });
                }
            };
        }

        RunState fail(Exception e) {
            failure = e;
            RunState run = run("2025-01");
            Exchange done = sendItem("direct:failing-step", run, RouteFileTest.akamaiFile("2025-01", "9001", "application/pdf", "invoice.pdf"));
            assertNull(done.getException(), "handled: the run goes on");
            return run;
        }
    }

    @Nested
    class ByKindOfFailure extends FailingStep {

        @Override
        protected void settings(TestHarvest harvest) {
            harvest.set("harvester.retry.max-attempts", "3").set("harvester.retry.initial-delay", "1");
        }

        @Test
        void aTransientFailureIsRetriedThenReported() {
            RunState run = fail(new IOException("connection reset"));

            assertEquals(3, attempts.get(), "harvester.retry.max-attempts");
            assertEquals(1, run.getFailureCount());
        }

        @Test
        void aPermanentFailureIsReportedWithoutRetry() {
            RunState run = fail(new IllegalStateException("a bug"));

            assertEquals(1, attempts.get());
            assertEquals(1, run.getFailureCount());
        }

        /** A step of the run itself (no item): reported under the failed route (its failure-steps name, else its id). */
        @Test
        void aFailureWithoutAnItemIsReportedUnderTheRouteItFailedIn() {
            failure = new IllegalStateException("disk full");
            RunState run = run("2025-01");

            Exchange done = template.send("direct:failing-step", e -> e.setProperty(ExchangeProperties.RUN, run));

            assertNull(done.getException());
            assertEquals("failing-step", run.getFailures().get(0).item());
            assertTrue(run.getFailures().get(0).message().contains("disk full"), run.getFailures().get(0).message());
        }

        @Test
        void invalidContentIsQuarantinedAndReported() throws Exception {
            ListedFile file = RouteFileTest.akamaiFile("2025-01", "9001", "application/pdf", "invoice.pdf");
            file.setDownloaded(Files.writeString(Files.createDirectories(harvest().dir.resolve("tmp")).resolve("invoice.part"), "<html>"), 6, "0".repeat(64));
            failure = new InvalidContentException("not a PDF");
            RunState run = run("2025-01");

            Exchange done = sendItem("direct:failing-step", run, file);

            assertNull(done.getException());
            assertEquals(1, attempts.get());
            assertEquals(1, run.getFailureCount());
            assertEquals("<html>", Files.readString(harvest().out().resolve("quarantine").resolve(file.getRelativeFolder()).resolve("invoice.pdf")));
            assertTrue(Files.notExists(file.getDownloaded()), "moved, not copied");
        }
    }

    @Nested
    class WithinTheMaximumWait extends FailingStep {

        @Override
        protected void settings(TestHarvest harvest) {
            harvest.set("harvester.retry.max-attempts", "10").set("harvester.retry.initial-delay", "50")
                    .set("harvester.retry.max-wait", "PT0.5S");
        }

        @Test
        void theRetriesStopWhenTheFilesDoublingWaitsWouldPassIt() {
            RunState run = fail(new IOException("connection reset"));

            // harvester.retry.backoff-multiplier 2 (the default): 50 + 100 + 200 ms waited, the next 400 would
            // pass 500 ms (a multiplier of 1 would allow 10 attempts, of 3 only 3)
            assertEquals(4, attempts.get());
            assertEquals(1, run.getFailureCount());
        }
    }

    @Nested
    class WithAnotherMultiplier extends FailingStep {

        @Override
        protected void settings(TestHarvest harvest) {
            harvest.set("harvester.retry.max-attempts", "10").set("harvester.retry.initial-delay", "50")
                    .set("harvester.retry.backoff-multiplier", "3").set("harvester.retry.max-wait", "PT0.5S");
        }

        @Test
        void theRetriesFollowTheMultiplierTheSettingsName() {
            RunState run = fail(new IOException("connection reset"));

            // 50 + 150 ms waited, the next 450 would pass 500 ms: the one setting the YAML and Retries both read
            assertEquals(3, attempts.get());
            assertEquals(1, run.getFailureCount());
        }
    }
}
