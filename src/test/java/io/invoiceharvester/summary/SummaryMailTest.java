package io.invoiceharvester.summary;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.TricklingPeer;
import io.invoiceharvester.model.RunState;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The run summary as a real SMTP server receives it, and the outbox while SMTP is away. */
public class SummaryMailTest extends HarvestTestSupport {

    static final String LIST = "/invoicing-api/v4/invoices";

    GreenMail smtp;

    @BeforeEach
    void setUp() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        h.set("harvester.mail.smtp-host", "127.0.0.1").set("harvester.mail.smtp-port", Integer.toString(smtp.getSmtp().getPort()))
                .set("harvester.mail.smtp-starttls", "false").set("harvester.mail.to", "finance@example.com,finops@example.com")
                .set("harvester.mail.from", "harvester@example.com");
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
    }

    @AfterEach
    void tearDown() {
        smtp.stop();
    }

    public static String text(Part part) throws Exception {
        if (part.isMimeType("text/plain") && part.getFileName() == null) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                String t = text(mp.getBodyPart(i));
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    public static List<BodyPart> attachments(MimeMessage m) throws Exception {
        List<BodyPart> out = new ArrayList<>();
        Multipart mp = (Multipart) m.getContent();
        for (int i = 0; i < mp.getCount(); i++) {
            if (mp.getBodyPart(i).getFileName() != null) {
                out.add(mp.getBodyPart(i));
            }
        }
        return out;
    }

    @Test
    void theSummaryReachesTheSmtpServerWithTotalsFlagsAndTheLedgerAttached() throws Exception {
        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals(2, received.length, "one message, delivered to both recipients");
        MimeMessage m = received[0];
        assertEquals("[invoice-harvester] 2021-01: 4 new files, 0 failures", m.getSubject());
        assertEquals("harvester@example.com", m.getFrom()[0].toString());
        assertEquals(List.of("finance@example.com", "finops@example.com"),
                List.of(m.getAllRecipients()).stream().map(Object::toString).toList());
        String text = text(m);
        assertTrue(text.contains("== Akamai - account A-CCT7890 - 2021-01 =="), text);
        assertTrue(text.contains("USD 0.03"), text);
        assertTrue(text.contains("USD -0.03"), "the credit memo's total: " + text);
        assertTrue(text.contains("! invoice 1234567890: lines sum to 0.03 USD, invoice total is 50000.42 USD"), text);
        assertTrue(GreenMailUtil.getBody(m).contains("text/html"), "an HTML alternative is there");
        List<BodyPart> files = attachments(m);
        assertEquals(1, files.size());
        assertEquals("ledger-2021-01.csv", files.get(0).getFileName());
        String ledgerCsv = new String(files.get(0).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(Files.readString(h.out().resolve("ledger/2021-01.csv")), ledgerCsv);
        assertTrue(h.filesUnder(h.out().resolve("outbox")).isEmpty(), "a sent summary leaves the outbox");
    }

    /** Every leaf part of a message, with the multipart type it sits in. */
    static void leaves(Part part, String parent, List<Object[]> out) throws Exception {
        if (part.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                leaves(mp.getBodyPart(i), new jakarta.mail.internet.ContentType(mp.getContentType()).getBaseType(), out);
            }
        } else {
            out.add(new Object[] {part, parent, part.getContentType()});
        }
    }

    @Test
    void theHtmlShowsBilledCostPerMonthAsAnInlineChartWithTheSameFiguresInATable() throws Exception {
        RunState report = h.run("2021-01");
        assertEquals(0, report.exitCode(), report.getFailures().toString());

        MimeMessage m = smtp.getReceivedMessages()[0];
        List<Object[]> parts = new ArrayList<>();
        leaves(m, "", parts);
        Object[] image = parts.stream().filter(p -> ((String) p[2]).startsWith("image/png")).findFirst().orElseThrow();
        Object[] html = parts.stream().filter(p -> ((String) p[2]).startsWith("text/html")).findFirst().orElseThrow();
        assertEquals("multipart/related", image[1], "the image travels with the HTML that shows it");
        assertEquals("multipart/related", html[1]);
        assertEquals("<billed-cost-chart@invoice-harvester>", ((Part) image[0]).getHeader("Content-ID")[0]);
        byte[] png = ((Part) image[0]).getInputStream().readAllBytes();
        java.awt.image.BufferedImage drawn = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertEquals(720, drawn.getWidth(), "a PNG a mail client can show");
        String body = (String) ((Part) html[0]).getContent();
        assertTrue(body.contains("<img src=\"cid:billed-cost-chart@invoice-harvester\""), "referenced by its Content-ID: " + body);

        // the same figures as a table: the month's billed cost as the ledger sums it
        java.math.BigDecimal billed = java.math.BigDecimal.ZERO;
        try (var rows = org.apache.commons.csv.CSVParser.parse(h.out().resolve("ledger/2021-01.csv"), StandardCharsets.UTF_8,
                org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            for (var row : rows) {
                billed = billed.add(new java.math.BigDecimal(row.get("BilledCost")));
            }
        }
        String money = io.invoiceharvester.values.Amounts.money(billed);
        assertTrue(body.contains("<th>Akamai USD</th>"), body);
        assertTrue(body.contains("<tr><td>2021-01</td><td align=\"right\">" + money + "</td></tr>"), money + " in " + body);
        assertFalse(text(m).contains("Billed cost per month"), "the text part is unchanged");
    }

    @Test
    void theAttachedLedgerCannotRunAFormulaWhileTheLedgerFileStaysVerbatim() throws Exception {
        String hostile = new String(TestHarvest.resource("/fixtures/akamai/invoice-download.csv"), StandardCharsets.UTF_8)
                .replace(",Cache control,", ",-2+3,")
                .replace(",Advanced Cache Control,", ",\"=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\",");
        h.stubFixtureCsvs(hostile);

        h.run("2021-01");

        String ledger = Files.readString(h.out().resolve("ledger/2021-01.csv"));
        assertTrue(ledger.contains(",\"=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\","), "machine data, verbatim: " + ledger);
        assertTrue(ledger.contains(",-2+3,"), ledger);
        String attached = new String(attachments(smtp.getReceivedMessages()[0]).get(0).getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);
        assertTrue(attached.contains(",\"'=HYPERLINK("), attached);
        assertTrue(attached.contains(",'-2+3,"), "a text cell is neutralized whatever its first character: " + attached);
        assertFalse(attached.contains(",=HYPERLINK") || attached.contains(",\"=HYPERLINK"), attached);
        assertTrue(attached.contains(",-0.02,"), "numbers untouched: the credit memo stays negative: " + attached);
    }

    @Test
    void aMailTheServerRefusesForGoodMovesToRefusedAndLaterSummariesStillGoOut() throws Exception {
        h.set("harvester.mail.smtp-host", "");
        h.run("2021-01");
        List<Path> queued = h.filesUnder(h.out().resolve("outbox"));
        assertEquals(1, queued.size());
        Path first = queued.get(0);
        Files.writeString(first, RefusingSmtp.MARKER + ": yes\r\n" + Files.readString(first));

        try (RefusingSmtp server = new RefusingSmtp()) {
            h.set("harvester.mail.smtp-host", "127.0.0.1").set("harvester.mail.smtp-port", Integer.toString(server.port()))
                    .set("harvester.mail.when", "always");
            RunState next = h.run("2021-01");

            assertEquals(1, server.accepted.size(), "the next summary went out behind the refused one");
            Path refused = h.out().resolve("outbox/refused").resolve(first.getFileName());
            assertTrue(Files.exists(refused), "the refused mail is kept, apart");
            String reason = Files.readString(refused.resolveSibling(first.getFileName() + ".reason.txt"));
            assertTrue(reason.contains("552"), reason);
            assertTrue(h.outbox().isEmpty(), "nothing waits in the outbox: " + h.outbox());
            assertTrue(next.getFailures().toString().contains("refused"), next.getFailures().toString());
        }
    }

    @Test
    void attachmentsStayWithinTheMailsSizeLimitAndTheRestAreNamedByPath() throws Exception {
        h.set("harvester.mail.max-bytes", "16384");
        String csv = new String(TestHarvest.resource("/fixtures/akamai/invoice-download.csv"), StandardCharsets.UTF_8);
        String[] lines = csv.split("\n");
        String big = lines[0] + "\n" + (lines[1] + "\n").repeat(300);
        h.stubFixtureCsvs(big);

        h.run("2021-01");

        MimeMessage m = smtp.getReceivedMessages()[0];
        assertTrue(attachments(m).isEmpty(), "the ledger does not fit beside the body in 16 KiB");
        List<Object[]> parts = new ArrayList<>();
        leaves(m, "", parts);
        assertFalse(parts.stream().anyMatch(p -> ((String) p[2]).startsWith("image/")), "nor does the chart");
        String html = (String) ((Part) parts.stream().filter(p -> ((String) p[2]).startsWith("text/html"))
                .findFirst().orElseThrow()[0]).getContent();
        assertFalse(html.contains("cid:"), "no reference to a part that is not there");
        assertTrue(html.contains("<h3>Billed cost per month</h3>") && html.contains("<td>2021-01</td>"), "the table stays: " + html);
        String text = text(m);
        assertTrue(text.contains("Not attached") && text.contains(h.out().resolve("ledger/2021-01.csv").toString()), text);
    }

    @Test
    void aRerunWithNothingNewSendsNoChangesMail() throws Exception {
        h.run("2021-01");
        h.run("2021-01");
        assertEquals(2, smtp.getReceivedMessages().length, "only the first run's message (to two recipients)");
    }

    @Test
    void whileSmtpIsDownTheSummaryWaitsInTheOutboxAndALaterRunSendsIt() throws Exception {
        int port = smtp.getSmtp().getPort();
        smtp.stop();

        RunState down = h.run("2021-01");
        assertEquals(1, down.exitCode(), "a summary could not be sent");
        assertTrue(down.getFailures().stream().anyMatch(f -> f.item().startsWith("outbox summary-")), down.getFailures().toString());
        List<Path> queued = h.filesUnder(h.out().resolve("outbox"));
        assertEquals(1, queued.size());

        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        RunState later = h.run("2021-01");

        assertEquals(0, later.exitCode(), later.getFailures().toString());
        assertEquals(2, smtp.getReceivedMessages().length);
        assertEquals("[invoice-harvester] 2021-01: 4 new files, 0 failures", smtp.getReceivedMessages()[0].getSubject());
        assertTrue(h.filesUnder(h.out().resolve("outbox")).isEmpty());
    }

    /**
     * A server that trickles its greeting a byte at a time passes every read timeout: the send as a whole ends at
     * harvester.mail.send-timeout, the mail stays in the outbox, and the run ends (its record, its lock).
     */
    @Test
    void aTricklingServerIsCutAtTheSendTimeoutAndTheMailWaits() throws Exception {
        try (TricklingPeer trickling = new TricklingPeer(TricklingPeer.SMTP, 500)) {
            h.set("harvester.mail.smtp-port", Integer.toString(trickling.port())).set("harvester.mail.send-timeout", "PT3S")
                    .set("harvester.http.read-timeout", "5000");
            long started = System.nanoTime();

            RunState run = h.run("2021-01");

            long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertTrue(seconds < 20, "the run ended within its bounds: " + seconds + " s");
            assertEquals(1, trickling.connections.get());
            assertEquals(1, run.exitCode(), "a summary could not be sent");
            assertTrue(run.getFailures().stream().anyMatch(f -> f.item().startsWith("outbox summary-")), run.getFailures().toString());
            assertEquals(1, h.outbox().size(), "the mail waits in the outbox");
            assertEquals(1, h.count("SELECT COUNT(*) FROM harvest_run WHERE run_id = '" + run.getRunId() + "' AND finished_at IS NOT NULL"));
            assertEquals(0, h.count("SELECT COUNT(*) FROM run_lock"), "the lock is released");
        }
    }

    /** The run's deadline cuts a send in flight, however long the send's own bound. */
    @Test
    void theRunsDeadlineCutsASendInFlight() throws Exception {
        try (TricklingPeer trickling = new TricklingPeer(TricklingPeer.SMTP, 500)) {
            h.set("harvester.mail.smtp-port", Integer.toString(trickling.port())).set("harvester.mail.send-timeout", "PT2M")
                    .set("harvester.run.max-duration", "PT6S").set("harvester.http.read-timeout", "5000");
            long started = System.nanoTime();

            RunState run = h.run("2021-01");

            long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertTrue(seconds < 20, "cut at the run's deadline, not after the send's two minutes: " + seconds + " s");
            assertEquals(1, run.exitCode());
            assertTrue(run.getFailures().stream().anyMatch(f -> f.item().equals("run deadline")), run.getFailures().toString());
            assertEquals(1, h.outbox().size(), "the mail waits in the outbox");
            assertEquals(1, h.count("SELECT COUNT(*) FROM harvest_run WHERE run_id = '" + run.getRunId() + "' AND finished_at IS NOT NULL"));
        }
    }

    @Test
    void withoutAnSmtpHostTheSummaryIsAnEmlFileInTheOutbox() throws Exception {
        h.set("harvester.mail.smtp-host", "");
        h.run("2021-01");
        List<Path> queued = h.filesUnder(h.out().resolve("outbox"));
        assertEquals(1, queued.size());
        assertTrue(queued.get(0).getFileName().toString().endsWith(".eml"));
        assertTrue(Files.readString(queued.get(0)).contains("Subject: [invoice-harvester] 2021-01: 4 new files"));
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void aBadCsvIsQuarantinedWithRowAndColumnListedInTheSummaryAndKeptOutOfTheLedger() throws Exception {
        String bad = new String(TestHarvest.resource("/fixtures/akamai/invoice-download.csv"), StandardCharsets.UTF_8)
                .replace(",0.03,1-23ABC4", ",0.O3,1-23ABC4");
        h.api.stubFor(get(urlPathEqualTo(TestHarvest.INVOICE_LINK)).withQueryParam("sourceType", equalTo("REGULAR"))
                .withHeader("Accept", equalTo("text/csv")).willReturn(aResponse().withBody(bad)));

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        Path reason = h.out().resolve("quarantine/akamai/A-CCT7890/2021-01/1234567890/v1/1234567890_1.csv.reason.txt");
        assertTrue(Files.readString(reason).contains("row 2, column ITEM_TOTAL: '0.O3' is not a number"), Files.readString(reason));
        assertFalse(Files.exists(h.out().resolve("archive/akamai/A-CCT7890/2021-01/1234567890/v1/1234567890_1.csv")),
                "a quarantined file is not in the archive");
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_line WHERE invoice_id = '1234567890'"));
        assertEquals(0, h.count("SELECT COUNT(*) FROM harvested_file WHERE invoice_id = '1234567890' AND content_type = 'text/csv'"),
                "fetched again next run");
        String text = text(smtp.getReceivedMessages()[0]);
        assertTrue(text.contains("FAILURES (1):") && text.contains("'0.O3' is not a number"), text);
    }

    @Test
    void theSummaryIsDoneBeforeTheRunReturns() throws Exception {
        h.set("harvester.mail.smtp-host", "");
        try (io.invoiceharvester.cli.Harvester service = io.invoiceharvester.cli.Harvester.prepare(h.config(),
                java.util.Map.of(), false)) {
            service.start();
            service.harvest(new io.invoiceharvester.model.RunRequest("test", List.of(java.time.YearMonth.of(2021, 1)),
                    List.of("akamai")));
            assertEquals(1, h.filesUnder(h.out().resolve("outbox")).size(), "written before harvest() returned");
            assertTrue(Files.exists(h.out().resolve("ledger/2021-01.csv")));
        }
    }
}
