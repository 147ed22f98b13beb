package io.invoiceharvester.run;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.invoiceharvester.TestHarvest.StateDb;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.HarvesterCommand;
import io.invoiceharvester.state.RunLock;
import io.invoiceharvester.state.StateDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The run lock tells the truth: judged by the database's clock (another time zone or a skewed clock
 * cannot take a live lock), a lost lock ends the run cleanly, a scheduled firing waits for a held lock,
 * and `once` is refused at once, naming the holder. On H2 and PostgreSQL.
 */
class RunLockTest {

    static final String LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    static final byte[] PDF = "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    TestHarvest h;
    StateDatabase state;

    @AfterEach
    void tearDown() {
        if (state != null) {
            state.close();
        }
        if (h != null) {
            h.close();
        }
    }

    /** A harvester whose schema exists, and the test's own handle on its state database. */
    private RunLock prepare(StateDb db, Duration lease) throws Exception {
        h = new TestHarvest(dir, db).sharedState();
        h.set("harvester.run-lock.lease", lease.toString());
        h.stubAkamaiFixtures("2021-01", PDF);
        h.run("2021-02");
        state = h.openState();
        return new RunLock(state.dataSource(), lease);
    }

    /** A `once` in a JVM of its own, with extra JVM options and environment. */
    private Process once(List<String> jvm, String env, String value) throws Exception {
        List<String> cmd = new ArrayList<>(TestHarvest.javaCommand("once", "--config", h.configFile().toString(), "--month", "2021-01"));
        cmd.addAll(1, jvm);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("once.log").toFile());
        if (env != null) {
            pb.environment().put(env, value);
            pb.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        }
        return pb.start();
    }

    private void assertRefusedNamingHolder(Process once) throws Exception {
        assertTrue(once.waitFor(60, TimeUnit.SECONDS));
        String output = Files.readString(dir.resolve("once.log"));
        assertEquals(1, once.exitValue(), output);
        assertTrue(output.contains("holds the run lock: operator: redeliver on "), output);
        assertEquals(1, h.count("SELECT COUNT(*) FROM run_lock WHERE holder = 'operator: redeliver'"), "the live lock is still its holder's");
        assertEquals(0, h.requestsTo("/invoicing-api/v4/invoices?month=2021-01"), "the refused run made no call");
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aHostInAnotherTimeZoneCannotTakeALiveLock(StateDb db) throws Exception {
        try (RunLock.Lease held = prepare(db, Duration.ofMinutes(5)).acquire("operator: redeliver", () -> { })) {
            assertRefusedNamingHolder(once(List.of("-Duser.timezone=Pacific/Kiritimati"), null, null));
        }
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aHostWhoseClockIsTenMinutesAheadCannotTakeALiveLock(StateDb db) throws Exception {
        assumeTrue(Files.exists(Path.of(LIBFAKETIME)), "libfaketime (Debian package faketime) is not installed: skipped");
        try (RunLock.Lease held = prepare(db, Duration.ofMinutes(5)).acquire("operator: redeliver", () -> { })) {
            Process once = once(List.of(), "LD_PRELOAD", LIBFAKETIME);
            assertRefusedNamingHolder(once);
        }
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void onceIsRefusedAtOnceNamingAnOperatorHoldingTheLock(StateDb db) throws Exception {
        try (RunLock.Lease held = prepare(db, Duration.ofMinutes(5)).acquire("operator: redeliver", () -> { })) {
            StringWriter out = new StringWriter();
            long start = System.nanoTime();
            int code = HarvesterCommand.execute(new PrintWriter(out), new PrintWriter(new StringWriter()),
                    "once", "--config", h.configFile().toString(), "--month", "2021-01");
            assertEquals(1, code, out.toString());
            assertTrue(out.toString().contains("holds the run lock: operator: redeliver on "), out.toString());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "refused at once, not after waiting");
        }
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aScheduledRunWaitsForTheLockAndRunsWhenItIsFree(StateDb db) throws Exception {
        RunLock lock = prepare(db, Duration.ofMinutes(1));
        RunLock.Lease held = lock.acquire("operator: redeliver", () -> { });
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            held.close();
        });
        long start = System.nanoTime();
        release.start();

        RunReport run = h.runAs("schedule", "2021-01");

        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1400), "it waited for the lock");
        assertEquals(0, run.exitCode(), run.getFailures().toString());
        assertEquals(4, run.getFilesNew());
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aScheduledRunThatWaitedAWholeLeaseIsSkippedNotRecordedAsAFailedRun(StateDb db) throws Exception {
        try (RunLock.Lease held = prepare(db, Duration.ofSeconds(2)).acquire("operator: redeliver", () -> { })) {
            long runs = h.count("SELECT COUNT(*) FROM harvest_run");

            RunLock.HeldException skipped = assertThrows(RunLock.HeldException.class, () -> h.runAs("schedule", "2021-01"));

            assertTrue(skipped.getMessage().contains("operator: redeliver"), skipped.getMessage());
            assertEquals(runs, h.count("SELECT COUNT(*) FROM harvest_run"), "no run was recorded");
            assertFalse(held.isLost(), "the holder kept its lock while the firing waited");
        }
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aLostLockEndsTheRunCleanlyWithNoNewFetchAndLeavesTheNewHolderAlone(StateDb db) throws Exception {
        prepare(db, Duration.ofSeconds(1));
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < 6; i++) {
            list.append(i == 0 ? "" : ",").append("{\"accountId\": \"A-1\", \"contractId\": \"C-1\", \"invoiceId\": ")
                    .append(9000000001L + i).append(", \"invoiceType\": \"INVOICE\", \"files\": [{\"contentType\":")
                    .append(" \"application/pdf\", \"fileName\": \"f").append(i).append(".pdf\", \"fileVersion\": 1,")
                    .append(" \"sourceType\": \"REGULAR\", \"fileLink\": \"").append(link).append("\"}]}");
        }
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withBody(list + "]")));
        h.api.stubFor(get(urlPathEqualTo(link)).willReturn(aResponse().withBody(PDF).withFixedDelay(700)));
        h.set("harvester.concurrency", "1");
        Thread thief = new Thread(() -> {
            try {
                while (h.requestsTo(link) == 0) {
                    Thread.sleep(20);
                }
                h.execute("UPDATE run_lock SET holder = 'operator: thief', host = 'elsewhere'");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        thief.start();

        RunReport run = h.run("2021-03");
        thief.join();

        assertEquals(1, run.exitCode());
        assertTrue(run.getFailures().stream().anyMatch(f -> f.message().startsWith("run lock lost")), run.getFailures().toString());
        assertTrue(h.requestsTo(link) <= 2, "no new fetch after the lock was lost: " + h.requestsTo(link) + " downloads");
        assertEquals(1, h.count("SELECT COUNT(*) FROM run_lock WHERE holder = 'operator: thief'"),
                "the run released only what it still held");
        assertEquals(1, h.count("SELECT COUNT(*) FROM harvest_run WHERE run_id = '" + run.getRunId() + "' AND exit_code = 1"
                + " AND finished_at IS NOT NULL"), "the run is finished in the state database");
    }
}
