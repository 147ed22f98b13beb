package io.invoiceharvester.run;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest.StateDb;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.HarvesterCommand;
import io.invoiceharvester.model.RunState;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The run lock tells the truth: judged by the database's clock (another time zone or a skewed clock
 * cannot take a live lock), a lost lock ends the run cleanly, a scheduled firing waits for a held lock,
 * and `once` is refused at once, naming the holder. On H2 and PostgreSQL.
 */
class RunLockTest extends HarvestTestSupport {

    static final String LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    static final byte[] PDF = "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    StateDatabase state;

    /** Before the harvester's own close (HarvestTestSupport's, which runs after this). */
    @AfterEach
    void closeState() {
        if (state != null) {
            state.close();
        }
    }

    /** A harvester whose schema exists, and the test's own handle on its state database. */
    private RunLock prepare(StateDb db, Duration lease) throws Exception {
        on(db).sharedState();
        h.set("harvester.run-lock.lease", lease.toString());
        h.stubAkamaiFixtures("2021-01", PDF);
        h.run("2021-02");
        state = h.openState();
        return new RunLock(state, lease);
    }

    /** A `once` in a JVM of its own, with extra JVM options and environment. */
    private Process once(List<String> jvm, String env, String value) throws Exception {
        List<String> cmd = new ArrayList<>(TestHarvest.javaCommand("once", "--config", h.configFile().toString(), "--month", "2021-01"));
        cmd.addAll(1, jvm);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("once.log").toFile());
        if (env != null) {
            pb.environment().put(env, value);
            pb.environment().put("FAKETIME", "+10m"); // libfaketime shifts nothing without it
            pb.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
            // its fix for programs waiting on the monotonic clock makes a JVM some 30 times slower (a `once` took minutes)
            pb.environment().put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
        }
        return pb.start();
    }

    private void assertRefusedNamingHolder(Process once) throws Exception {
        if (!once.waitFor(60, TimeUnit.SECONDS)) {
            once.destroyForcibly();
            throw new AssertionError("the refused run did not end within 60 s: " + Files.readString(dir.resolve("once.log")));
        }
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
            // the refused JVM's clock was ten minutes ahead: its log lines say so
            java.time.LocalTime now = java.time.LocalTime.now();
            String first = Files.readString(dir.resolve("once.log")).lines().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\..*"))
                    .findFirst().orElseThrow();
            long ahead = java.time.Duration.between(now, java.time.LocalTime.parse(first.substring(0, 12))).toMinutes();
            assertTrue(ahead >= 9 && ahead <= 10 || ahead <= -1430, "the child's clock was shifted: " + first + " vs " + now);
        }
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void onceIsRefusedAtOnceNamingAnOperatorHoldingTheLock(StateDb db) throws Exception {
        try (RunLock.Lease held = prepare(db, Duration.ofMinutes(5)).acquire("operator: redeliver", () -> { })) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            long start = System.nanoTime();
            int code = HarvesterCommand.execute(new PrintWriter(out), new PrintWriter(err, true),
                    "once", "--config", h.configFile().toString(), "--month", "2021-01");
            assertEquals(1, code, out + "\n" + err);
            assertTrue(err.toString().contains("holds the run lock: operator: redeliver on "), "the refusal goes to stderr: " + err);
            assertTrue(out.toString().isEmpty(), "nothing on stdout: " + out);
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

        RunState run = h.runAs("schedule", "2021-01");

        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1400), "it waited for the lock");
        assertEquals(0, run.exitCode(), run.getFailures().toString());
        assertEquals(4, run.getFilesStored());
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

    /**
     * A run whose lock another process takes over (its lease ended while it was busy) writes nothing more: the file
     * it was downloading is neither archived, recorded nor dropped, no failure of it reaches the state database, no
     * summary is queued and its end is not recorded; it says "run lock lost" once. The lock's new holder is left
     * alone, and the next run delivers what this one did not.
     */
    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aRunThatLostItsLockWritesNothingMoreAndSaysSoOnce(StateDb db) throws Exception {
        prepare(db, Duration.ofSeconds(2));
        String link = "/invoicing-api/v4/contracts/C-1/invoices/";
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < 6; i++) {
            list.append(i == 0 ? "" : ",").append("{\"accountId\": \"A-1\", \"contractId\": \"C-1\", \"invoiceId\": ")
                    .append(9000000001L + i).append(", \"invoiceType\": \"INVOICE\", \"invoiceTotal\": 1.5, \"invoiceCurrency\": \"USD\",")
                    .append(" \"files\": [{\"contentType\": \"application/pdf\", \"fileName\": \"f").append(i)
                    .append(".pdf\", \"fileVersion\": 1, \"sourceType\": \"REGULAR\", \"fileLink\": \"").append(link)
                    .append(9000000001L + i).append("/download\"}]}");
        }
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withBody(list + "]")));
        h.api.stubFor(get(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(link + "\\d+/download"))
                .willReturn(aResponse().withBody(PDF).withFixedDelay(1500)));
        h.set("harvester.concurrency", "1").set("harvester.mail.when", "always");
        long stored = h.count("SELECT COUNT(*) FROM harvested_file");
        int queued = h.outbox().size();
        RunLock.Lease[] taken = new RunLock.Lease[1];
        Thread taker = new Thread(() -> {
            try {
                while (h.requestsTo(link) == 0) {
                    Thread.sleep(20);
                }
                // the run's lease ends without a heartbeat (as a paused process's would), and another process takes the lock
                while (taken[0] == null) {
                    h.execute("UPDATE run_lock SET expires_at = CURRENT_TIMESTAMP - 1 * INTERVAL '1' SECOND");
                    try {
                        taken[0] = new RunLock(state, Duration.ofMinutes(5)).acquire("operator: taker", () -> { });
                    } catch (RunLock.HeldException renewedMeanwhile) {
                        Thread.sleep(10);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        taker.start();

        RunState run = h.run("2021-03");
        taker.join();

        try {
            assertEquals(1, run.exitCode());
            assertEquals(1, run.getFailureCount(), run.getFailures().toString());
            assertTrue(run.getFailures().get(0).message().startsWith("run lock lost"), run.getFailures().toString());
            assertEquals(stored, h.count("SELECT COUNT(*) FROM harvested_file"), "nothing recorded after the lock was lost");
            assertTrue(h.filesUnder(h.drop()).stream().noneMatch(p -> p.toString().contains("2021-03")), "nothing dropped");
            assertTrue(h.filesUnder(h.out().resolve("archive")).stream().noneMatch(p -> p.toString().contains("2021-03")),
                    "nothing archived");
            assertEquals(queued, h.outbox().size(), "no summary queued");
            assertEquals(0, h.count("SELECT COUNT(*) FROM run_failure WHERE run_id = '" + run.getRunId() + "'"));
            assertEquals(1, h.count("SELECT COUNT(*) FROM harvest_run WHERE run_id = '" + run.getRunId() + "' AND finished_at IS NULL"),
                    "its end is not recorded: it was no longer the holder");
            assertTrue(h.requestsTo(link) <= 2, "no new fetch after the lock was lost: " + h.requestsTo(link) + " downloads");
            assertEquals(1, h.count("SELECT COUNT(*) FROM run_lock WHERE holder = 'operator: taker'"), "the new holder's lock stays");
        } finally {
            taken[0].close();
        }
        RunState next = h.run("2021-03");
        assertEquals(0, next.exitCode(), next.getFailures().toString());
        assertEquals(6, next.getFilesStored(), "the next holder delivers what the run that lost its lock did not");
    }

    /**
     * A holder is judged by the kernel's start tick of its PID (field 22 of /proc/PID/stat), which a wall-clock step
     * does not move, never by a start instant (boot time + ticks, and the kernel moves its boot time when the clock
     * steps). With a stand-in of /proc: a live holder stays live across a step; a row of an older version (an
     * instant) is in doubt and waits for its lease; a PID now started at another tick is taken over.
     */
    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aLiveHolderIsNeverTakenOverAfterTheWallClockStepped(StateDb db) throws Exception {
        prepare(db, Duration.ofHours(1));
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Files.createDirectories(proc.resolve("sys/kernel/random"));
        Files.writeString(proc.resolve("sys/kernel/random/boot_id"), "boot-1\n");
        Files.createDirectories(proc.resolve("self/ns"));
        Files.createSymbolicLink(proc.resolve("self/ns/pid"), Path.of("pid:[4026531836]"));
        stat(proc, 1, "systemd", 1);
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3 4\nbtime 1764000000\n");
        long holder = 424242;
        stat(proc, holder, "java (worker) x)", 5000);
        String host = java.net.InetAddress.getLocalHost().getHostName();
        h.execute("INSERT INTO run_lock (name, holder, host, pid, acquired_at, heartbeat_at, expires_at, boot_id, pid_namespace,"
                + " process_started, token) VALUES ('harvest', 'r-1', '" + host + "', " + holder + ", CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                + " CURRENT_TIMESTAMP + 3600 * INTERVAL '1' SECOND, 'boot-1', 'pid:[4026531836]', 'ticks:5000', 't-1')");
        RunLock taker = new RunLock(state, Duration.ofMinutes(5), proc);

        assertThrows(RunLock.HeldException.class, () -> taker.acquire("operator: test", () -> { }), "alive: the same start tick");
        // the wall clock steps 7 s: the kernel moves its boot time, and the holder's start instant with it
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3 4\nbtime 1764000007\n");
        assertThrows(RunLock.HeldException.class, () -> taker.acquire("operator: test", () -> { }), "still alive after the step");
        // an older version's row says when the holder started, as an instant: in doubt, its lease decides
        h.execute("UPDATE run_lock SET process_started = '2025-11-24T16:00:00.123Z'");
        stat(proc, holder, "java (worker) x)", 9999);
        assertThrows(RunLock.HeldException.class, () -> taker.acquire("operator: test", () -> { }), "in doubt: wait for the lease");
        // its PID now belongs to a process the kernel started at another tick: the holder is gone
        h.execute("UPDATE run_lock SET process_started = 'ticks:5000'");
        try (RunLock.Lease taken = taker.acquire("operator: test", () -> { })) {
            assertEquals(1, h.count("SELECT COUNT(*) FROM run_lock WHERE holder = 'operator: test'"));
        }
    }

    /** /proc/PID/stat with a command name that holds blanks and parentheses, and field 22 (the start tick) given. */
    private static void stat(Path proc, long pid, String command, long ticks) throws Exception {
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(proc.resolve(pid + "/stat"), pid + " (" + command + ") S" + " 1".repeat(18) + " " + ticks + " 0 0 0\n");
    }

    /**
     * The lock is judged by its holder's lease, written into its row: a holder with a one-hour lease whose
     * heartbeat is ten minutes old is alive, whatever lease the taker (an operator command) is configured with.
     */
    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aLockIsJudgedByItsHoldersLeaseNotTheTakers(StateDb db) throws Exception {
        RunLock longLease = prepare(db, Duration.ofHours(1));
        h.set("harvester.run-lock.lease", "PT5M"); // the operator's configuration: a shorter lease
        try (RunLock.Lease held = longLease.acquire("operator: redeliver", () -> { })) {
            h.execute("UPDATE run_lock SET heartbeat_at = heartbeat_at - 600 * INTERVAL '1' SECOND,"
                    + " acquired_at = acquired_at - 600 * INTERVAL '1' SECOND");

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = HarvesterCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), "quarantine", "discard", "1",
                    "--config", h.configFile().toString());

            assertEquals(1, code, out + "\n" + err);
            assertTrue(err.toString().contains("holds the run lock: operator: redeliver on ") && err.toString().contains("lease until"),
                    "refused on stderr, naming the holder and its lease: " + err);
            assertEquals(1, h.count("SELECT COUNT(*) FROM run_lock WHERE holder = 'operator: redeliver'"));
            assertFalse(held.isLost());

            // once the holder's own lease has ended (by the database's clock), it is taken over
            h.execute("UPDATE run_lock SET expires_at = CURRENT_TIMESTAMP - 1 * INTERVAL '1' SECOND");
            try (RunLock.Lease taken = new RunLock(state, Duration.ofMinutes(5)).acquire("operator: test", () -> { })) {
                assertEquals(1, h.count("SELECT COUNT(*) FROM run_lock WHERE holder = 'operator: test'"));
            }
        }
    }

    /** Another machine with the same host name (a clone, a container) cannot judge a live holder dead by its PID. */
    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aHolderIsDeadOnThisMachineOnlyWithTheSameBootAndPidNamespace(StateDb db) throws Exception {
        RunLock lock = prepare(db, Duration.ofHours(1));
        long gone;
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        gone = p.pid(); // a PID that was just used and has ended
        String host = java.net.InetAddress.getLocalHost().getHostName();
        String bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        String namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        String insert = "INSERT INTO run_lock (name, holder, host, pid, acquired_at, heartbeat_at, expires_at, boot_id, pid_namespace,"
                + " process_started) VALUES ('harvest', 'r-1', '" + host + "', " + gone + ", CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                + " CURRENT_TIMESTAMP + 3600 * INTERVAL '1' SECOND, '%s', '%s', '2020-01-01T00:00:00Z')";

        // same host name, another kernel boot (another machine): the PID proves nothing; the lease decides
        h.execute(String.format(insert, "another-boot-id", namespace));
        RunLock.HeldException refused = assertThrows(RunLock.HeldException.class, () -> lock.acquire("operator: test", () -> { }));
        assertTrue(refused.getMessage().contains("run r-1 on " + host), refused.getMessage());
        h.execute("DELETE FROM run_lock");

        // same boot, another PID namespace (another container on this host): the same
        h.execute(String.format(insert, bootId, "pid:[1]"));
        assertThrows(RunLock.HeldException.class, () -> lock.acquire("operator: test", () -> { }));
        h.execute("DELETE FROM run_lock");

        // same boot and namespace, its process gone: dead, taken over at once
        h.execute(String.format(insert, bootId, namespace));
        try (RunLock.Lease taken = lock.acquire("operator: test", () -> { })) {
            assertEquals(1, h.count("SELECT COUNT(*) FROM run_lock WHERE holder = 'operator: test'"));
        }
    }
}
