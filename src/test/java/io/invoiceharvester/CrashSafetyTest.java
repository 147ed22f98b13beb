package io.invoiceharvester;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.cli.HarvesterCommand;
import io.invoiceharvester.sandbox.Sandbox;
import io.invoiceharvester.sandbox.SandboxData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1: a harvester killed with SIGKILL at several points, then run to the end, leaves exactly
 * what an uninterrupted run leaves: every file once, byte for byte, no temporary file, consistent
 * state, no double counts in the ledger.
 */
class CrashSafetyTest {

    static final int[] KILL_WHEN_ARCHIVED = {1, 4, 8, 13};

    @TempDir
    Path dir;

    private Path configure(Sandbox sandbox, Path root) throws IOException {
        Files.createDirectories(root);
        Path token = root.resolve("fastly-token");
        Files.writeString(token, sandbox.fastlyToken());
        return TestHarvest.sandboxConfig(sandbox, root, Map.of("harvester.fastly.enabled", "true",
                "harvester.fastly.base-url", sandbox.baseUrl(), "harvester.fastly.api-token-file", token.toString()));
    }

    private String[] once(Path config) {
        return new String[] {"once", "--config", config.toString(), "--from", SandboxData.MONTHS.get(0).toString(),
                "--to", SandboxData.MONTHS.get(SandboxData.MONTHS.size() - 1).toString()};
    }

    private Process child(Path config, Path log) throws IOException {
        return new ProcessBuilder(TestHarvest.javaCommand(once(config))).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /**
     * Every file under the folder with its bytes. The harvester may be renaming files in it meanwhile (its
     * temporary names): a file or folder that vanishes while being read is not there.
     */
    private static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes attrs) throws IOException {
                try {
                    if (attrs.isRegularFile()) {
                        out.put(root.relativize(p).toString(), Files.readAllBytes(p));
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // renamed or removed while read
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return out;
    }

    private static void assertSameTree(Path expected, Path actual) throws IOException {
        Map<String, byte[]> want = tree(expected);
        Map<String, byte[]> got = tree(actual);
        assertEquals(want.keySet(), got.keySet(), "the same files in " + actual.getFileName());
        for (String name : want.keySet()) {
            assertArrayEquals(want.get(name), got.get(name), name);
        }
    }

    private static long count(Path root, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + root.resolve("state/harvester"), "sa", "");
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void killedAtAnyPointThenRerunLeavesExactlyWhatAnUninterruptedRunLeaves() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0, Duration.ofMillis(150))) {
            Path reference = dir.resolve("reference");
            StringWriter refOut = new StringWriter();
            assertEquals(0, HarvesterCommand.execute(new PrintWriter(refOut), new PrintWriter(new StringWriter()),
                    once(configure(sandbox, reference))), refOut.toString());

            Path crashed = dir.resolve("crashed");
            Path config = configure(sandbox, crashed);
            Path log = crashed.resolve("runs.log");
            Path archive = crashed.resolve("out/archive");
            int kills = 0;
            for (int threshold : KILL_WHEN_ARCHIVED) {
                Process p = child(config, log);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (p.isAlive() && tree(archive).size() < threshold && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                if (p.isAlive()) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
                    kills++;
                }
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            assertTrue(kills >= 3, "the harvester was killed mid-run " + kills + " times: " + Files.readString(log));

            Process last = child(config, log);
            assertTrue(last.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, last.exitValue(), Files.readString(log));

            assertSameTree(reference.resolve("drop"), crashed.resolve("drop"));
            assertSameTree(reference.resolve("out/archive"), crashed.resolve("out/archive"));
            assertSameTree(reference.resolve("out/ledger"), crashed.resolve("out/ledger"));
            assertTrue(tree(crashed.resolve("drop")).keySet().stream().noneMatch(n -> n.contains(".inprogress")));
            assertEquals(5, tree(crashed.resolve("drop")).size());
            assertEquals(19, count(crashed, "SELECT COUNT(*) FROM harvested_file"));
            assertEquals(0, count(crashed, "SELECT COUNT(*) FROM harvested_file WHERE content_type = 'application/pdf'"
                    + " AND dropped_at IS NULL"));
            assertEquals(count(reference, "SELECT COUNT(*) FROM ledger_line"), count(crashed, "SELECT COUNT(*) FROM ledger_line"));
            assertTrue(tree(crashed.resolve("out")).keySet().stream().noneMatch(n -> n.endsWith(".part") || n.endsWith(".inprogress")),
                    "no half-written file anywhere");
        }
    }
}
