package io.invoiceharvester.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two `run` services (two JVMs: Quartz keeps one scheduler per JVM) on one PostgreSQL state database:
 * each firing runs once between them, each file is delivered once, and when one stops the other
 * keeps harvesting.
 */
class ClusterTest {

    static final String URL = TestHarvest.StateDb.POSTGRES_URL;

    @TempDir
    Path dir;

    private static long count(String schema, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long startedRuns(Path log) throws Exception {
        return Files.readString(log).lines().filter(l -> l.contains("started (schedule)")).count();
    }

    @Test
    void twoInstancesShareTheScheduleAndOneTakesOverWhenTheOtherStops() throws Exception {
        TestHarvest.PostgresSchema pg = TestHarvest.PostgresSchema.create("harvester_cluster");
        String schema = pg.name();
        Process a = null;
        Process b = null;
        try (Sandbox sandbox = Sandbox.start(0)) {
            Path config = TestHarvest.sandboxConfig(sandbox, dir, Map.of(
                    "harvester.state.url", pg.url(),
                    "harvester.state.username", "", "harvester.management.port", "0",
                    "harvester.schedule.cron", "0/3 * * * * ?"));
            Path logA = dir.resolve("a.log");
            Path logB = dir.resolve("b.log");
            a = new ProcessBuilder(TestHarvest.javaCommand("run", "--config", config.toString()))
                    .redirectErrorStream(true).redirectOutput(logA.toFile()).start();
            // A migrates the schema first (however long a loaded machine takes), then B starts on it
            long migrated = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(schema, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + schema
                    + "' AND table_name = 'harvest_run'") == 0 && a.isAlive() && System.nanoTime() < migrated) {
                Thread.sleep(200);
            }
            b = new ProcessBuilder(TestHarvest.javaCommand("run", "--config", config.toString()))
                    .redirectErrorStream(true).redirectOutput(logB.toFile()).start();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(schema, "SELECT COUNT(*) FROM harvest_run WHERE finished_at IS NOT NULL") < 4
                    && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            long runs = count(schema, "SELECT COUNT(*) FROM harvest_run WHERE finished_at IS NOT NULL");
            assertTrue(runs >= 4, "scheduled runs happened: " + runs + "\nA:\n" + Files.readString(logA) + "\nB:\n" + Files.readString(logB));
            assertEquals(0, count(schema, "SELECT COUNT(*) FROM run_failure WHERE item = 'run lock'"),
                    "no firing ran on both instances at once");
            assertEquals(16, count(schema, "SELECT COUNT(*) FROM harvested_file"), "each file delivered once");
            try (java.util.stream.Stream<Path> dropped = Files.walk(dir.resolve("drop"))) {
                assertEquals(5, dropped.filter(Files::isRegularFile).count(), "each PDF in the drop once");
            }

            a.destroy();
            assertTrue(a.waitFor(60, TimeUnit.SECONDS));
            long bBefore = startedRuns(logB);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (startedRuns(logB) < bBefore + 2 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertTrue(startedRuns(logB) >= bBefore + 2, "B took over the schedule:\n" + Files.readString(logB));
        } finally {
            for (Process p : new Process[] {a, b}) {
                if (p != null) {
                    p.destroy();
                    p.waitFor(60, TimeUnit.SECONDS);
                }
            }
            pg.close();
        }
    }
}
