package io.invoiceharvester.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.sandbox.Sandbox;
import io.invoiceharvester.sandbox.SandboxData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * status, history, invoices and outbox against a state database made by a real harvest of the sandbox,
 * on H2 and PostgreSQL: what they print (--json) and what they change.
 */
public class OperatorCommandsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** What a command printed and returned. */
    public record Result(int code, String out, String err) {
        public JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    /** A command run in this JVM, as an operator types it. */
    public static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HarvesterCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @EnumSource(TestHarvest.StateDb.class)
    void theOperatorCommandsAnswerFromTheStateAHarvestLeft(TestHarvest.StateDb db) throws Exception {
        Map<String, String> extra = new LinkedHashMap<>();
        TestHarvest.PostgresSchema schema = db == TestHarvest.StateDb.POSTGRESQL ? TestHarvest.PostgresSchema.create("operator") : null;
        if (schema != null) {
            extra.put("harvester.state.url", schema.url());
        }
        extra.put("harvester.mail.when", "always");
        extra.put("harvester.mail.to", "finance@example.com");
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (Sandbox sandbox = Sandbox.start(0)) {
            Path config = TestHarvest.sandboxConfig(sandbox, dir, extra);
            String cfg = config.toString();
            Result once = cli("once", "--config", cfg, "--from", SandboxData.MONTHS.get(0).toString(),
                    "--to", SandboxData.MONTHS.get(SandboxData.MONTHS.size() - 1).toString());
            assertEquals(0, once.code(), once.out() + once.err());
            int requests = sandbox.requestCount();

            JsonNode status = cli("status", "--config", cfg, "--json").json();
            assertEquals(0, status.path("lastRun").path("exitCode").asInt(-1), status.toString());
            assertEquals(16, status.path("lastRun").path("filesStored").asInt(), status.toString());
            assertEquals(16, status.path("lastRun").path("filesNew").asInt(), "the name before 2026-12 too: " + status);
            assertTrue(status.path("lock").isNull(), "the lock is free after the run");
            assertEquals(0, status.path("waiting").path("pendingDrops").asInt(-1));
            assertEquals(1, status.path("waiting").path("outboxMails").asInt(), "no SMTP host: the summary waits");
            assertTrue(status.path("waiting").path("exportPendingMonths").isEmpty());
            assertTrue(cli("status", "--config", cfg).out().contains("run lock:    free"));

            JsonNode history = cli("history", "--config", cfg, "--json").json();
            assertEquals(1, history.size());
            String runId = history.get(0).path("runId").asText();
            JsonNode run = cli("history", runId, "--config", cfg, "--json").json();
            assertEquals(16, run.path("files").size(), run.toString());
            assertEquals(0, run.path("failures").size());
            assertEquals(0, cli("history", "--config", cfg, "--failed", "--json").json().size());
            Result unknown = cli("history", "no-such-run", "--config", cfg);
            assertEquals(2, unknown.code());
            assertTrue(unknown.err().contains("no run no-such-run"), unknown.err());
            assertEquals(2, cli("history", "--limit", "0", "--config", cfg).code());

            JsonNode reissued = cli("invoices", "--invoice", "9100000201", "--config", cfg, "--json").json();
            assertTrue(reissued.size() >= 2, reissued.toString());
            for (JsonNode f : reissued) {
                assertTrue(Files.exists(Path.of(f.path("archivedPath").asText())), "archived where it says: " + f);
                if (f.path("contentType").asText().equals("text/csv")) {
                    assertTrue(f.path("ledgerLines").asInt() > 0 && f.path("reconciled").asBoolean(), f.toString());
                }
                if (f.path("contentType").asText().equals("application/pdf")) {
                    assertFalse(f.path("droppedAt").isNull(), f.toString());
                }
            }
            assertEquals("2", reissued.get(0).path("version").asText(), "the re-issued version is there");
            assertEquals(0, cli("invoices", "--provider", "fastly", "--month", "2025-01", "--config", cfg, "--json").json()
                    .findValues("provider").stream().filter(p -> !p.asText().equals("fastly")).count());
            assertEquals(2, cli("invoices", "--provider", "ftp", "--config", cfg).code());
            assertEquals(2, cli("invoices", "--month", "2025-13", "--config", cfg).code());

            JsonNode mails = cli("outbox", "list", "--config", cfg, "--json").json();
            assertEquals(1, mails.size());
            String name = mails.get(0).path("name").asText();

            // a state-changing command meets a held lock: exit 1, naming the holder, nothing changed
            try (Connection c = DriverManager.getConnection(extra.getOrDefault("harvester.state.url",
                    "jdbc:h2:file:" + dir.resolve("state/harvester") + ";AUTO_SERVER=TRUE"), db == TestHarvest.StateDb.H2 ? "sa" : null,
                    db == TestHarvest.StateDb.H2 ? "" : null); Statement st = c.createStatement()) {
                st.execute("INSERT INTO run_lock (name, holder, host, pid, acquired_at, heartbeat_at) VALUES ('harvest',"
                        + " 'operator: redeliver', 'elsewhere', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
                Result held = cli("outbox", "discard", name, "--config", cfg);
                assertEquals(1, held.code(), held.out() + held.err());
                assertTrue(held.err().contains("operator: redeliver") && held.out().isEmpty(), "refused on stderr: " + held.err());
                assertEquals(1, cli("outbox", "list", "--config", cfg, "--json").json().size());
                st.execute("DELETE FROM run_lock");
            }

            Path configWithSmtp = TestHarvest.sandboxConfig(sandbox, dir, withSmtp(extra, smtp));
            Result sent = cli("outbox", "send", "--config", configWithSmtp.toString());
            assertEquals(0, sent.code(), sent.out() + sent.err());
            assertEquals(1, smtp.getReceivedMessages().length, "the queued summary reached the SMTP server");
            assertEquals(0, cli("outbox", "list", "--config", cfg, "--json").json().size());
            assertEquals(2, cli("outbox", "discard", name, "--config", cfg).code(), "no such mail any more");

            // the drop folder cleaned by someone: redeliver puts a month's PDFs back from the archive
            Path drop = dir.resolve("drop");
            List<Path> dropped = files(drop);
            assertFalse(dropped.isEmpty());
            for (Path p : dropped) {
                Files.delete(p);
            }
            assertEquals(2, cli("redeliver", "--config", cfg).code(), "redeliver needs to be told what");
            Result redelivered = cli("redeliver", "--month", "2025-01", "--config", cfg);
            assertEquals(0, redelivered.code(), redelivered.out() + redelivered.err());
            List<Path> back = files(drop);
            assertFalse(back.isEmpty());
            assertTrue(back.stream().allMatch(p -> p.toString().contains("/2025-01/")), back.toString());
            assertEquals(dropped.stream().filter(p -> p.toString().contains("/2025-01/")).count(), back.size());
            for (Path p : back) {
                JsonNode f = cli("invoices", "--invoice", p.getFileName().toString().split("_")[0], "--config", cfg, "--json").json();
                Path archived = Path.of(f.findValues("archivedPath").stream().map(JsonNode::asText)
                        .filter(a -> a.endsWith(".pdf")).findFirst().orElseThrow());
                assertTrue(java.util.Arrays.equals(Files.readAllBytes(archived), Files.readAllBytes(p)), p + " is the archived copy");
            }
            assertEquals(requests, sandbox.requestCount(), "no command called the API");
        } finally {
            smtp.stop();
            if (schema != null) {
                schema.close();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void planListsLikeOnceAndDownloadsRecordsAndMailsNothing() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0)) {
            Map<String, String> extra = Map.of("harvester.mail.when", "always");
            String cfg = TestHarvest.sandboxConfig(sandbox, dir, extra).toString();
            String first = SandboxData.MONTHS.get(0).toString();
            String last = SandboxData.MONTHS.get(SandboxData.MONTHS.size() - 1).toString();

            Result plan = cli("plan", "--from", first, "--to", last, "--config", cfg, "--json");
            assertEquals(0, plan.code(), plan.out() + plan.err());
            JsonNode planned = plan.json();
            assertEquals(16, planned.path("wouldDownload").size(), planned.toString());
            assertTrue(planned.path("listCalls").size() >= SandboxData.MONTHS.size(), planned.toString());
            assertTrue(files(dir.resolve("out/archive")).isEmpty() && files(dir.resolve("drop")).isEmpty()
                    && files(dir.resolve("out/outbox")).isEmpty(), "nothing downloaded, dropped or mailed");
            assertEquals(0, cli("history", "--config", cfg, "--json").json().size(), "no run recorded");
            assertTrue(sandbox.requestCount() > 0);
            assertEquals(planned.path("listCalls").size(), sandbox.requestCount(), "list calls only");

            assertEquals(0, cli("once", "--from", first, "--to", last, "--config", cfg).code());
            assertEquals(0, cli("plan", "--from", first, "--to", last, "--config", cfg, "--json").json().path("wouldDownload").size(),
                    "after the harvest, nothing is left to download");
            assertEquals(2, cli("plan", "--provider", "ftp", "--config", cfg).code());
        }
    }

    private static List<Path> files(Path root) throws Exception {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static Map<String, String> withSmtp(Map<String, String> extra, GreenMail smtp) {
        Map<String, String> out = new LinkedHashMap<>(extra);
        out.put("harvester.mail.smtp-host", "127.0.0.1");
        out.put("harvester.mail.smtp-port", Integer.toString(smtp.getSmtp().getPort()));
        out.put("harvester.mail.smtp-starttls", "false");
        out.put("harvester.mail.to", "finance@example.com");
        return out;
    }
}
