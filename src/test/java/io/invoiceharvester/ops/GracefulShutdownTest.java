package io.invoiceharvester.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of a scheduled harvest: the service finishes what is in flight and stops;
 * nothing half-written stays behind and every file in the drop is recorded.
 */
class GracefulShutdownTest {

    @TempDir
    Path dir;

    private static List<Path> files(Path root) throws Exception {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void sigtermMidRunLeavesNoHalfWrittenFileAndAConsistentState() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0, Duration.ofMillis(300))) {
            Path config = TestHarvest.sandboxConfig(sandbox, dir, Map.of("harvester.management.port", "0",
                    "harvester.schedule.cron", "0/2 * * * * ?"));
            Path log = dir.resolve("run.log");
            List<String> cmd = TestHarvest.javaCommand("run", "--config", config.toString());
            Process service = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();

            Path archive = dir.resolve("out/archive");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (service.isAlive() && files(archive).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(service.isAlive(), Files.readString(log));
            service.destroy(); // SIGTERM
            assertTrue(service.waitFor(60, TimeUnit.SECONDS), "stopped within the shutdown timeout");
            String output = Files.readString(log);
            assertTrue(output.contains("shutting down") || output.contains("shutdown"), output);

            assertTrue(files(dir.resolve("drop")).stream().noneMatch(f -> f.getFileName().toString().startsWith(".")),
                    "no temporary file in the drop");
            assertTrue(files(dir.resolve("out")).stream().noneMatch(f -> f.toString().endsWith(".part")
                    || f.getFileName().toString().endsWith(".inprogress")), "no half-written file");
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("state/harvester"), "sa", "");
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT COUNT(*) FROM harvested_file WHERE content_type = 'application/pdf' AND dropped_at IS NOT NULL")) {
                rs.next();
                assertEquals(files(dir.resolve("drop")).size(), rs.getInt(1), "every PDF in the drop is recorded as dropped: " + output);
            }
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("state/harvester"), "sa", "");
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT COUNT(*), COUNT(finished_at) FROM harvest_run")) {
                rs.next();
                assertEquals(rs.getInt(1), rs.getInt(2), "the run in flight is finished in the state database: " + output);
            }
            assertFalse(output.contains("already closed"), "the state database stays open until the run has finished: " + output);
            assertTrue(output.contains("-> exit code"), "the run in flight finished before the service stopped: " + output);
        }
    }

    /**
     * SIGTERM while downloads hang: the run cannot finish within the shutdown timeout, so it stops fetching,
     * cuts off what is in flight and ends as a run (recorded, summary written, lock released) before the
     * process exits, within the unit's TimeoutStopSec (60 s).
     */
    @Test
    void sigtermDuringARunThatCannotFinishEndsItAsARunWithinTheStopTimeout() throws Exception {
        try (TestHarvest h = new TestHarvest(dir)) {
            h.sharedState().set("harvester.mail.when", "always").set("harvester.http.read-timeout", "300000");
            h.api.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/invoicing-api/v4/invoices"))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                            .withBody(TestHarvest.resource(TestHarvest.FIXTURE_LIST))));
            h.api.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/invoicing-api/v4/contracts/.*"))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withBody("%PDF-1.4\n")
                            .withFixedDelay(300_000)));
            Path log = dir.resolve("once.log");
            Process once = new ProcessBuilder(TestHarvest.javaCommand("once", "--config", h.configFile().toString(), "--month",
                    "2021-01")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (once.isAlive() && h.requestsTo(TestHarvest.DOWNLOADS) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(once.isAlive(), Files.readString(log));

            long stopped = System.nanoTime();
            once.destroy(); // SIGTERM
            assertTrue(once.waitFor(60, TimeUnit.SECONDS), "stopped within the unit's stop timeout: " + Files.readString(log));
            String output = Files.readString(log);
            assertTrue(System.nanoTime() - stopped < TimeUnit.SECONDS.toNanos(58), output);

            assertEquals(1, h.count("SELECT COUNT(*) FROM harvest_run WHERE finished_at IS NOT NULL AND exit_code = 1"),
                    "the run is finished in the state database: " + output);
            assertEquals(0, h.count("SELECT COUNT(*) FROM run_lock"), "its lock released: " + output);
            assertTrue(h.outbox().size() == 1 && h.outbox().get(0).contains("the service was asked to stop"),
                    "its summary says why it is incomplete: " + h.outbox());
        }
    }

    /** A process of the `run` service on the test's harvester, its output in a log; returned once it has started. */
    /** Every service a test started: one a failed assertion left running is killed after the test. */
    private final List<Process> services = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void killServicesLeftRunning() {
        services.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
    }

    private Process service(TestHarvest h, Path log) throws Exception {
        Process service = new ProcessBuilder(TestHarvest.javaCommand("run", "--config", h.configFile().toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        services.add(service);
        TestHarvest.until("the service started", Duration.ofSeconds(60),
                () -> !service.isAlive() || Files.readString(log).contains("Started harvest-schedule"));
        assertTrue(service.isAlive(), Files.readString(log));
        return service;
    }

    /**
     * SIGTERM to a service whose run waits on an outside party: it exits within the unit's stop timeout, saying what
     * it cut, and its run ends as a run (finished in the state database, the lock released).
     */
    private static void sigtermEndsTheRunAsARun(TestHarvest h, Process service, Path log, String says) throws Exception {
        long stopped = System.nanoTime();
        service.destroy(); // SIGTERM
        assertTrue(service.waitFor(60, TimeUnit.SECONDS), "stopped within the unit's stop timeout: " + Files.readString(log));
        String output = Files.readString(log);
        assertTrue(System.nanoTime() - stopped < TimeUnit.SECONDS.toNanos(58), output);
        assertTrue(output.contains(says), output);
        assertEquals(1, h.count("SELECT COUNT(*) FROM harvest_run WHERE finished_at IS NOT NULL AND exit_code = 1"),
                "the run is finished in the state database: " + output);
        assertEquals(0, h.count("SELECT COUNT(*) FROM run_lock"), "the lock is released: " + output);
    }

    /** Whether this process ignores SIGHUP (bit 0 of SigIgn in /proc/self/status). */
    private static boolean hangUpIgnored() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        return Files.exists(status) && Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                .anyMatch(l -> (Long.parseLong(l.substring(7).trim(), 16) & 1) != 0);
    }

    /** SIGHUP (a closed terminal, `kill -HUP`) stops the service as SIGTERM does, and says so; Camel's hang-up handler does not. */
    @Test
    void sighupStopsTheServiceGracefullyAndSaysSo() throws Exception {
        // started under nohup, the tests' JVM ignores SIGHUP, and so does the service it starts: the JVM keeps an ignored HUP ignored
        assumeFalse(hangUpIgnored(), "SIGHUP is ignored by the tests' own process (started under nohup?): the service inherits that");
        try (TestHarvest h = new TestHarvest(dir)) {
            h.sharedState().set("harvester.management.port", "0").set("harvester.schedule.cron", "0 0 0 1 1 ? 2099");
            Path log = dir.resolve("run.log");
            Process service = service(h, log);

            new ProcessBuilder("kill", "-HUP", Long.toString(service.pid())).start().waitFor();

            assertTrue(service.waitFor(60, TimeUnit.SECONDS), Files.readString(log));
            String output = Files.readString(log);
            assertEquals(0, service.exitValue(), output);
            assertTrue(output.contains("SIGHUP received: stopping gracefully"), output);
            assertTrue(output.contains("the service stopped"), output);
        }
    }

    /**
     * SIGTERM while the summary is being sent to a server that trickles its greeting: the send is cut, the mail stays
     * in the outbox, the run ends as a run, and the process exits within the unit's stop timeout.
     */
    @Test
    void sigtermCutsASendInFlightAndTheRunEndsAsARun() throws Exception {
        try (TestHarvest h = new TestHarvest(dir); io.invoiceharvester.TricklingPeer smtp = new io.invoiceharvester.TricklingPeer(io.invoiceharvester.TricklingPeer.SMTP, 500)) {
            java.time.LocalTime once = java.time.LocalTime.now(java.time.ZoneOffset.UTC).plusSeconds(12); // one firing, soon
            h.sharedState().set("harvester.management.port", "0")
                    .set("harvester.schedule.cron", once.getSecond() + " " + once.getMinute() + " " + once.getHour() + " * * ?")
                    .set("harvester.schedule.from", "2021-01").set("harvester.schedule.to", "2021-01")
                    .set("harvester.mail.smtp-host", "127.0.0.1").set("harvester.mail.smtp-port", Integer.toString(smtp.port()))
                    .set("harvester.mail.smtp-starttls", "false").set("harvester.mail.to", "finance@example.com")
                    .set("harvester.mail.send-timeout", "PT10M").set("harvester.http.read-timeout", "300000");
            h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Path log = dir.resolve("run.log");
            Process service = service(h, log);
            TestHarvest.until("the summary's send in flight", Duration.ofSeconds(60), () -> smtp.connections.get() > 0);

            sigtermEndsTheRunAsARun(h, service, log, "SMTP send cut (the service is stopping): the mail stays in the outbox");
            assertEquals(1, h.outbox().size(), "the mail waits in the outbox");
        }
    }

    /**
     * SIGTERM while the ledger is being published to a bucket that trickles its replies: the call is cut, the run ends
     * as a run (recorded, lock released) and the process exits within the unit's stop timeout; the month waits.
     */
    @Test
    void sigtermCutsABucketCallInFlightAndTheRunEndsAsARun() throws Exception {
        try (TestHarvest h = new TestHarvest(dir);
             io.invoiceharvester.TricklingPeer bucket = new io.invoiceharvester.TricklingPeer(io.invoiceharvester.TricklingPeer.HTTP, 500)) {
            Path credentials = Files.writeString(dir.resolve("aws-credentials"),
                    "[default]\naws_access_key_id = test\naws_secret_access_key = not-a-secret\n");
            java.time.LocalTime once = java.time.LocalTime.now(java.time.ZoneOffset.UTC).plusSeconds(12); // one firing, soon
            h.sharedState().set("harvester.management.port", "0")
                    .set("harvester.schedule.cron", once.getSecond() + " " + once.getMinute() + " " + once.getHour() + " * * ?")
                    .set("harvester.schedule.from", "2021-01").set("harvester.schedule.to", "2021-01")
                    .set("harvester.ledger.publish-uri", "aws2-s3://finops?region=eu-west-1&uriEndpointOverride=http://127.0.0.1:"
                            + bucket.port() + "&forcePathStyle=true")
                    .set("harvester.ledger.publish-credentials-file", credentials.toString())
                    .set("harvester.ledger.publish-timeout", "PT10M").set("harvester.ledger.publish-attempt-timeout", "PT10M")
                    .set("harvester.http.read-timeout", "300000");
            h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Path log = dir.resolve("run.log");
            Process service = service(h, log);
            try {
                TestHarvest.until("a call to the bucket in flight", Duration.ofSeconds(60), () -> bucket.connections.get() > 0);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ":\n" + Files.readString(log), e);
            }

            sigtermEndsTheRunAsARun(h, service, log, "ledger bucket call cut (the service is stopping)");
            assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_published"), "the month waits for the next run");
        }
    }
}
