package io.invoiceharvester.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.HarvesterCommand;
import io.invoiceharvester.sandbox.Sandbox;
import io.invoiceharvester.sandbox.SandboxData;
import io.invoiceharvester.summary.SummaryMailTest;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reseller's backfill at small scale, against the sandbox that enforces Akamai's per-account limit:
 * many switch-key accounts and months, harvester.concurrency requests in flight at most (lists and
 * downloads together, and more than one at a time), no 429 provoked, every file delivered exactly once.
 */
class ResellerBackfillTest {

    static final int ACCOUNTS = 24;
    static final int MONTHS = 4;
    static final int CONCURRENCY = 4;

    @TempDir
    Path dir;

    @Test
    void aBackfillOverManyAccountsKeepsTheApiBusyWithinItsLimitsAndDeliversEachFileOnce() throws Exception {
        // 300 a minute: one request every 200 ms per account, so each account's pacer binds
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (Sandbox sandbox = Sandbox.start(0, Duration.ofMillis(20), SandboxData.reseller(ACCOUNTS, MONTHS), 300)) {
            Path config = TestHarvest.sandboxConfig(sandbox, dir, Map.of(
                    "harvester.mail.when", "changes",
                    "harvester.mail.smtp-host", "127.0.0.1",
                    "harvester.mail.smtp-port", Integer.toString(smtp.getSmtp().getPort()),
                    "harvester.mail.smtp-starttls", "false",
                    "harvester.mail.to", "finance@example.com",
                    "harvester.concurrency", Integer.toString(CONCURRENCY),
                    "harvester.akamai.requests-per-minute", "300",
                    "harvester.progress.interval", "PT0.5S"));
            String from = SandboxData.MONTHS.get(0).minusMonths(MONTHS - 1).toString();
            String to = SandboxData.MONTHS.get(0).toString();

            List<int[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread watcher = watchProgress(seen);
            assertEquals(0, once(config, from, to));
            watcher.interrupt();
            watcher.join();

            int listings = ACCOUNTS * MONTHS;
            int files = listings * 3; // the default content types: PDF, CSV and JSON of each invoice
            assertEquals(listings + files, sandbox.requestCount(), "one list call per account and month, one GET per file");
            assertEquals(0, sandbox.rateLimited(), "no request went over an account's limit");
            assertTrue(sandbox.maxInFlight() <= CONCURRENCY, "in flight at once: " + sandbox.maxInFlight());
            assertTrue(sandbox.maxListsInFlight() > 1, "list calls of different accounts ran side by side: " + sandbox.maxListsInFlight());

            List<Path> dropped = dropped();
            assertEquals(listings, dropped.size(), "one PDF per invoice in the drop");
            Set<String> names = new HashSet<>();
            dropped.forEach(p -> names.add(p.getFileName().toString()));
            assertEquals(listings, names.size());
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("state/harvester") + ";AUTO_SERVER=TRUE", "sa", "");
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT file_name) FROM harvested_file")) {
                rs.next();
                assertEquals(files, rs.getInt(1), "each file recorded once");
                assertEquals(files, rs.getInt(2));
            }

            assertTrue(seen.stream().anyMatch(f -> f[0] == listings), "JMX knew the run's listings");
            assertTrue(seen.stream().anyMatch(f -> f[1] > 0 && f[1] < files), "JMX showed the files moving");
            assertTrue(seen.stream().allMatch(f -> f[1] <= f[2]), "never more files done than known");

            MimeMessage[] mails = smtp.getReceivedMessages();
            assertEquals(1, mails.length, "one summary");
            String text = SummaryMailTest.text(mails[0]);
            assertTrue(text.lines().count() < 40, "the summary stays readable:\n" + text);
            assertTrue(text.contains("Totals by provider and currency:"), text);
            assertTrue(text.contains("Akamai 2025-01 USD"), text);
            assertTrue(text.contains("vs previous month"), text);
            assertTrue(text.contains(listings + " account-months, one line each in the attached summary-details.csv"), text);
            List<BodyPart> attached = SummaryMailTest.attachments(mails[0]);
            BodyPart details = attached.stream().filter(b -> {
                try {
                    return "summary-details.csv".equals(b.getFileName());
                } catch (jakarta.mail.MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }).findFirst().orElseThrow();
            String csv = new String(details.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(listings + 1, csv.lines().count(), "a header and one line per account-month");
            assertTrue(csv.contains("Akamai,A-RS00001,2025-01,1,0,3,USD,"), csv.lines().limit(3).toList().toString());

            int before = sandbox.requestCount();
            assertEquals(0, once(config, from, to));
            assertEquals(listings, sandbox.requestCount() - before, "the second run only lists: nothing is fetched twice");
            assertEquals(listings, dropped().size());
            assertEquals(1, smtp.getReceivedMessages().length, "nothing new: no second mail");
        } finally {
            smtp.stop();
        }
    }

    /** Samples the run progress MBean (listings known, files done, files known) while a run is in flight. */
    private static Thread watchProgress(List<int[]> seen) throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName name = new javax.management.ObjectName("io.invoiceharvester:type=RunProgress");
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    if (server.isRegistered(name) && !"".equals(server.getAttribute(name, "RunId"))) {
                        seen.add(new int[] {(Integer) server.getAttribute(name, "ListingsKnown"),
                                (Integer) server.getAttribute(name, "FilesDone"), (Integer) server.getAttribute(name, "FilesKnown")});
                    }
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (javax.management.JMException e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        return t;
    }

    private int once(Path config, String from, String to) {
        StringWriter out = new StringWriter();
        int code = HarvesterCommand.execute(new PrintWriter(out, true), new PrintWriter(out, true),
                "once", "--config", config.toString(), "--from", from, "--to", to);
        assertEquals(0, code, out.toString());
        return code;
    }

    private List<Path> dropped() throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve("drop"))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
