package io.invoiceharvester.cli;

import static io.invoiceharvester.cli.OperatorCommandsTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.OperatorCommandsTest.Result;
import io.invoiceharvester.sandbox.Sandbox;
import io.invoiceharvester.sandbox.SandboxData;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands' answers are exact: JSON fields scripts rely on (docs/operations.md, "JSON for
 * scripts": new fields may be added, none renamed or dropped), an argument that matches nothing is an
 * error naming it, a bad argument is one line with a hint, and nothing prints Java's null.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorAnswersTest {

    /** The documented fields of each command's JSON (docs/operations.md). */
    static final Set<String> RUN = Set.of("runId", "trigger", "months", "startedAt", "finishedAt", "exitCode", "filesListed",
            "filesStored", "filesNew", "filesFailed", "bytes");
    static final Set<String> STORED_FILE = Set.of("provider", "accountId", "month", "invoiceId", "invoiceType", "sourceType",
            "contentType", "version", "fileName", "archivedPath", "deliveredAt", "droppedAt", "runId", "ledgerLines", "reconciled",
            "reconciliation", "invoiceTotal", "currency");
    static final Set<String> STATUS = Set.of("lastRun", "lastRunFailures", "nextFiring", "lock", "waiting", "waitingFiles");
    static final Set<String> WAITING = Set.of("pendingDrops", "outboxMails", "refusedMails", "quarantinedFiles", "unmappedCsvs",
            "unavailableFiles", "exportPendingMonths", "rebuildPendingMonths", "ledgerMonthsToPublish");
    static final Set<String> MAIL = Set.of("name", "state", "bytes", "reason");
    static final Set<String> PLAN = Set.of("listCalls", "wouldDownload", "alreadyDelivered", "failures");
    static final Set<String> LIST_CALL = Set.of("provider", "month", "accountSwitchKey");
    static final Set<String> PLANNED = Set.of("provider", "account", "month", "invoiceId", "version", "sourceType", "contentType",
            "fileName");

    Path dir;
    Sandbox sandbox;
    String cfg;

    @BeforeAll
    void harvest(@TempDir Path dir) throws Exception {
        this.dir = dir;
        sandbox = Sandbox.start(0);
        cfg = TestHarvest.sandboxConfig(sandbox, dir, Map.of("harvester.mail.when", "always")).toString();
        Result once = cli("once", "--config", cfg, "--from", SandboxData.MONTHS.get(0).toString(),
                "--to", SandboxData.MONTHS.get(SandboxData.MONTHS.size() - 1).toString());
        assertEquals(0, once.code(), once.out() + once.err());
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    private static void assertFields(Set<String> documented, JsonNode node) {
        List<String> fields = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            fields.add(it.next());
        }
        assertTrue(fields.containsAll(documented), "documented " + documented + ", given " + fields);
    }

    @Test
    void everyCommandsJsonHasItsDocumentedFields() throws Exception {
        JsonNode status = cli("status", "--config", cfg, "--json").json();
        assertFields(STATUS, status);
        assertFields(RUN, status.path("lastRun"));
        assertFields(WAITING, status.path("waiting"));
        JsonNode history = cli("history", "--config", cfg, "--json").json();
        assertFields(RUN, history.get(0));
        JsonNode run = cli("history", history.get(0).path("runId").asText(), "--config", cfg, "--json").json();
        assertFields(Set.of("run", "files", "failures"), run);
        assertFields(STORED_FILE, run.path("files").get(0));
        JsonNode invoices = cli("invoices", "--invoice", "9100000101", "--config", cfg, "--json").json();
        assertFields(STORED_FILE, invoices.get(0));
        assertFields(MAIL, cli("outbox", "list", "--config", cfg, "--json").json().get(0));
        assertTrue(cli("quarantine", "list", "--config", cfg, "--json").json().isArray());
        JsonNode plan = cli("plan", "--month", "2025-01", "--config", cfg, "--json").json();
        assertFields(PLAN, plan);
        assertFields(LIST_CALL, plan.path("listCalls").get(0));
        assertEquals("akamai", plan.path("listCalls").get(0).path("provider").asText(), "objects, not sentences: " + plan);
    }

    @Test
    void moneyIsPrintedAsTheLedgerWritesItAndThePathIsNamedAPath() throws Exception {
        Result invoices = cli("invoices", "--invoice", "9100000101", "--config", cfg, "--json");
        for (JsonNode file : invoices.json()) {
            assertTrue(file.path("archivedPath").asText().endsWith("/" + file.path("fileName").asText()), file.toString());
        }
        assertTrue(invoices.out().contains("\"invoiceTotal\" : 2174.17,"), "no padded decimals: " + invoices.out());
    }

    @Test
    void anInvoiceOrMonthThatMatchesNothingIsAnErrorNamingIt() {
        Result none = cli("redeliver", "--invoice", "999999999", "--config", cfg);
        assertEquals(2, none.code(), none.out());
        assertTrue(none.err().contains("no stored PDF of invoice 999999999"), none.err());
        Result month = cli("redeliver", "--month", "2019-01", "--config", cfg);
        assertEquals(2, month.code());
        assertTrue(month.err().contains("month 2019-01"), month.err());
    }

    @Test
    void aBadArgumentIsOneLineNamingItWithAHint() {
        for (String[] args : List.of(new String[] {"invoices", "--month", "2025-13", "--config", cfg},
                new String[] {"once", "--month", "2025-13", "--config", cfg}, new String[] {"history", "--limit", "-1", "--config", cfg})) {
            Result bad = cli(args);
            assertEquals(2, bad.code(), String.join(" ", args));
            assertEquals(1, bad.err().strip().lines().count(), "one line: " + bad.err());
            assertTrue(bad.err().contains("see `") && bad.err().contains(" --help`"), bad.err());
            assertTrue(bad.out().isEmpty(), "no usage dump: " + bad.out());
        }
        assertTrue(cli("invoices", "--month", "2025-13", "--config", cfg).err().contains("'2025-13' is not a month (YYYY-MM)"));
        Result unknown = cli("frobnicate", "--config", "/etc/secret-location/harvester.properties");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("'frobnicate'"), unknown.err());
        assertFalse(unknown.err().contains("secret-location"), "the --config path is not echoed: " + unknown.err());
    }

    @Test
    void aRunInProgressIsShownAsSuchNotAsNulls() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("state/harvester") + ";AUTO_SERVER=TRUE", "sa", "");
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO harvest_run (run_id, run_trigger, months, started_at) VALUES ('running-now', 'schedule',"
                    + " '2025-01', CURRENT_TIMESTAMP + 1 * INTERVAL '1' SECOND)");
            try {
                String status = cli("status", "--config", cfg).out();
                assertTrue(status.contains("running-now") && status.contains("running:"), status);
                assertFalse(status.contains("null"), status);
            } finally {
                st.execute("DELETE FROM harvest_run WHERE run_id = 'running-now'");
            }
        }
    }

    /** The HTTP retries are not for mail: a mail server that refuses the connection is said so at once; the mail waits. */
    @Test
    void outboxSendToAServerThatRefusesFailsInSecondsSayingRefused() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path smtpConfig = dir.resolve("smtp.properties");
        java.nio.file.Files.writeString(smtpConfig, java.nio.file.Files.readString(Path.of(cfg)) + "\nharvester.mail.smtp-host=127.0.0.1"
                + "\nharvester.mail.smtp-port=" + closed + "\nharvester.mail.to=finance@example.com\nharvester.mail.smtp-starttls=false\n");
        long start = System.nanoTime();

        Result send = cli("outbox", "send", "--config", smtpConfig.toString());

        assertTrue(System.nanoTime() - start < java.util.concurrent.TimeUnit.SECONDS.toNanos(10), "in seconds, not after HTTP's backoff");
        assertEquals(1, send.code());
        String said = send.out() + send.err();
        assertTrue(said.contains("refused") && !said.toLowerCase().contains("timeout"), said);
        assertEquals(1, cli("outbox", "list", "--config", cfg, "--json").json().size(), "the mail waits");
        assertTrue(send.err().isEmpty() || !send.err().contains("Apache Camel"), "no start-up log without --verbose: " + send.err());
    }
}
