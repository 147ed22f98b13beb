package io.invoiceharvester.akamai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.RunLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Akamai harvest against a WireMock stand-in serving the documented fixtures: what lands where, versions,
 * names, scale, concurrency and the run lock.
 */
class AkamaiHarvestTest extends AkamaiTestSupport {

    @Test
    void harvestsTheFixtureListIntoDropAndArchiveWithEveryRequestValidlySigned() throws Exception {
        stubList("2021-01", TestHarvest.resource(TestHarvest.FIXTURE_LIST));
        stubFixtureFiles();
        h.set("harvester.akamai.account-switch-keys", SWITCH_KEY);

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        assertEquals(4, report.getFilesStored());
        assertArrayEquals(PDF, Files.readAllBytes(h.drop().resolve(
                "akamai/A-CCT7890/2021-01/1234567890_v1_InvoiceName_1-XYZ_1-ABCD_1234567890_FINAL_1.pdf")));
        assertArrayEquals(COMPUTE_PDF, Files.readAllBytes(h.drop().resolve(
                "akamai/A-CCT9012/2021-01/8234567890_v2_CreditMemoName_1-XYZ_1-ABCD_8234567890_FINAL_COMPUTE_1.pdf")));
        assertEquals(2, h.filesUnder(h.drop()).size(), "only PDFs go to the drop, and no temporary file is left");
        assertArrayEquals(TestHarvest.fixtureCsv("A-CCT9012", "8234567890"), Files.readAllBytes(
                h.out().resolve("archive/akamai/A-CCT9012/2021-01/8234567890/v2/8234567890_COMPUTE_1.csv")));
        assertEquals(4, h.filesUnder(h.out().resolve("archive")).size());
        assertEquals(4, h.count("SELECT COUNT(*) FROM harvested_file"));

        h.assertEveryRequestValidlySigned();
        List<LoggedRequest> requests = h.requests();
        assertTrue(requests.stream().allMatch(r -> r.getUrl().contains("accountSwitchKey=" + SWITCH_KEY)),
                "the switch key goes on the wire unescaped, exactly as signed");
        // each download asks for its own file: its source type on the URL, its content type as Accept
        assertEquals(java.util.Set.of("REGULAR application/pdf", "REGULAR text/csv", "COMPUTE application/pdf", "COMPUTE text/csv"),
                requests.stream().filter(r -> r.getUrl().startsWith(TestHarvest.DOWNLOADS))
                        .map(r -> r.queryParameter("sourceType").firstValue() + " " + r.getHeader("Accept"))
                        .collect(java.util.stream.Collectors.toSet()));
        assertEquals(2, h.requestsTo(TestHarvest.INVOICE_LINK), "each invoice's files from its own link");
        assertEquals(2, h.requestsTo(TestHarvest.CREDIT_MEMO_LINK));
    }

    @Test
    void aSecondRunOfTheSameMonthDownloadsNothing() throws Exception {
        stubList("2021-01", TestHarvest.resource(TestHarvest.FIXTURE_LIST));
        stubFixtureFiles();

        assertEquals(0, h.run("2021-01").exitCode());
        long downloads = h.requestsTo(TestHarvest.DOWNLOADS);
        RunState second = h.run("2021-01");

        assertEquals(0, second.exitCode());
        assertEquals(0, second.getFilesStored());
        assertEquals(4, second.getFilesSkipped());
        assertEquals(downloads, h.requestsTo(TestHarvest.DOWNLOADS), "no download on the second run");
        assertEquals(2, h.requestsTo(LIST), "the list is asked once per run");
    }

    @Test
    void aNewFileVersionIsFetchedAndDeliveredNextToTheOld() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "inv.pdf"));
        stubFile(link, "REGULAR", "application/pdf", PDF);
        assertEquals(0, h.run("2021-01").exitCode());

        byte[] reissued = "%PDF-1.4\n% re-issued\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        h.api.resetAll();
        stubList("2021-01", pdfList(link, 2, "inv.pdf"));
        stubFile(link, "REGULAR", "application/pdf", reissued);
        RunState second = h.run("2021-01");

        assertEquals(1, second.getFilesStored());
        Path folder = h.drop().resolve("akamai/A-1/2021-01");
        assertArrayEquals(PDF, Files.readAllBytes(folder.resolve("9000000001_v1_inv.pdf")));
        assertArrayEquals(reissued, Files.readAllBytes(folder.resolve("9000000001_v2_inv.pdf")));
        assertEquals(1, h.requestsTo(link));
    }

    @Test
    void hostileFileNamesNeverLeaveTheirFolder() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "../../../escape.pdf", "/tmp/absolute.pdf", "..\\..\\windows.pdf",
                "bell\u0007\nname.pdf", "", ".."));
        stubFile(C1_LINKS, "REGULAR", "application/pdf", PDF);

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        Path folder = h.drop().resolve("akamai/A-1/2021-01").toAbsolutePath();
        List<Path> dropped = h.filesUnder(h.drop());
        assertEquals(6, dropped.size(), dropped.toString());
        for (Path p : dropped) {
            assertEquals(folder, p.toAbsolutePath().getParent(), p.toString());
            assertFalse(p.getFileName().toString().chars().anyMatch(Character::isISOControl));
        }
        for (Path p : h.filesUnder(h.out().resolve("archive"))) {
            assertTrue(p.toAbsolutePath().startsWith(h.out().resolve("archive/akamai/A-1/2021-01").toAbsolutePath()), p.toString());
        }
        assertFalse(Files.exists(dir.resolve("escape.pdf")));
        assertFalse(Files.exists(Path.of("/tmp/absolute.pdf")));
        assertTrue(Files.exists(folder.resolve("9000000005_v1_file")));
    }

    @Test
    void longNonLatinNamesAndNamesThatSanitizeAlikeAllLandWithoutOverwriting() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        String cyrillic = "\u0441\u0447\u0451\u0442".repeat(41) + ".pdf";
        stubList("2021-01", pdfList(link, 1, cyrillic, "a:b.pdf", "a_b.pdf"));
        stubFile(C1_LINKS, "REGULAR", "application/pdf", PDF);

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        List<Path> dropped = h.filesUnder(h.drop());
        assertEquals(3, dropped.size(), dropped.toString());
        assertEquals(3, h.filesUnder(h.out().resolve("archive")).size());
        for (Path p : dropped) {
            assertTrue(p.getFileName().toString().getBytes(StandardCharsets.UTF_8).length <= 255, p.toString());
        }
    }

    @Test
    void longAccountAndContractIdsAreRecordedNotFailedAfterArchiving() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-" + "y".repeat(150) + "/invoices/9000000001/download";
        ArrayNode list = (ArrayNode) JSON.readTree(pdfList(link, 1, "inv.pdf"));
        ((ObjectNode) list.get(0)).put("accountId", "A-" + "x".repeat(150)).put("contractId", "C-" + "y".repeat(150));
        ((ObjectNode) list.get(0).get("files").get(0)).put("sourceType", "REGULAR" + "Z".repeat(100));
        stubList("2021-01", JSON.writeValueAsBytes(list));
        stubFile(link, "REGULAR" + "Z".repeat(100), "application/pdf", PDF);

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        assertEquals(1, h.count("SELECT COUNT(*) FROM harvested_file"));
        assertEquals(0, h.run("2021-01").getFilesStored(), "recorded: not fetched again");
    }

    @Test
    void aListOfTensOfThousandsOfEntriesIsProcessed() throws Exception {
        ArrayNode list = JSON.createArrayNode();
        for (int i = 0; i < 30_000; i++) {
            ObjectNode inv = list.addObject();
            inv.put("accountId", "A-1").put("contractId", "C-1").put("invoiceId", 7000000000L + i).put("invoiceType", "INVOICE")
                    .put("invoiceTotal", 1.5).put("invoiceCurrency", "USD");
            inv.putArray("files").addObject().put("contentType", i == 29_999 ? "application/pdf" : "text/csv")
                    .put("fileName", "f" + i).put("fileVersion", 1).put("sourceType", "REGULAR")
                    .put("fileLink", "/invoicing-api/v4/contracts/C-1/invoices/" + (7000000000L + i) + "/download");
        }
        stubList("2021-01", JSON.writeValueAsBytes(list));
        stubFile("/invoicing-api/v4/contracts/C-1/invoices/7000029999/download", "REGULAR", "application/pdf", PDF);
        h.set("harvester.akamai.content-types", "application/pdf");

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        assertEquals(30_000, report.getFilesListed());
        assertEquals(1, report.getFilesStored());
        assertEquals(2, h.requests().size(), "one list call, one download: nothing else fetched");
    }

    @Test
    void downloadsRunConcurrentlyUpToTheConfiguredNumber() throws Exception {
        String[] names = {"a.pdf", "b.pdf", "c.pdf", "d.pdf", "e.pdf", "f.pdf"};
        stubList("2021-01", pdfList("/invoicing-api/v4/contracts/C-1/invoices/9000000001/download", 1, names));
        h.api.stubFor(get(urlPathMatching(C1_LINKS)).willReturn(aResponse().withBody(PDF).withFixedDelay(400)));
        h.set("harvester.concurrency", "3");

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        List<Long> arrivals = h.requests().stream().filter(r -> r.getUrl().contains("/download"))
                .map(r -> r.getLoggedDate().getTime()).sorted().toList();
        assertEquals(6, arrivals.size());
        assertTrue(arrivals.get(2) - arrivals.get(0) < 300, "three downloads were under way at once: " + arrivals);
        assertTrue(arrivals.get(3) - arrivals.get(0) >= 350, "a fourth waited for a free slot: " + arrivals);
    }

    @Test
    void aRunWhileAnotherHoldsTheRunLockDoesNothingAndSaysSo() throws Exception {
        stubList("2021-01", TestHarvest.resource(TestHarvest.FIXTURE_LIST));
        stubFixtureFiles();
        h.run("2021-02"); // creates the schema
        String host = java.net.InetAddress.getLocalHost().getHostName();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(h.stateUrl(), "sa", "");
             java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO run_lock (name, holder, host, pid, acquired_at, heartbeat_at) VALUES ('harvest',"
                    + " 'other-run', '" + host + "', " + ProcessHandle.current().pid() + ", CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        int before = h.requests().size();
        long runs = h.count("SELECT COUNT(*) FROM harvest_run");

        RunLock.HeldException locked = assertThrows(RunLock.HeldException.class, () -> h.run("2021-01"));

        assertTrue(locked.getMessage().contains("holds the run lock: run other-run on " + host), locked.getMessage());
        assertEquals(before, h.requests().size(), "nothing was asked of the API");
        assertEquals(runs, h.count("SELECT COUNT(*) FROM harvest_run"), "a run that could not begin is no run");

        try (java.sql.Connection c = java.sql.DriverManager.getConnection(h.stateUrl(), "sa", "");
             java.sql.Statement st = c.createStatement()) {
            // its process gone on this very machine (same kernel boot, same PID namespace): taken over at once
            st.executeUpdate("UPDATE run_lock SET pid = 999999999, boot_id = '"
                    + Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim() + "', pid_namespace = '"
                    + Files.readSymbolicLink(Path.of("/proc/self/ns/pid")) + "'");
        }
        RunState after = h.run("2021-01");
        assertEquals(0, after.exitCode(), "a lock whose process is gone is taken over: " + after.getFailures());
        assertEquals(0, h.count("SELECT COUNT(*) FROM run_lock"), "released at the end of the run");
    }

    /**
     * A CSV that fails part-way (its second batch states another invoice) rolls back and frees the ledger at once: the
     * next CSV of the same listing, on the same thread, goes in (it once waited for the failed file's exchange to end).
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aCsvThatFailsFreesTheLedgerForTheNextFileOfItsListing() throws Exception {
        ArrayNode list = JSON.createArrayNode();
        csvInvoice(list, 7300000201L, "INVOICE", 0.03);
        csvInvoice(list, 7300000202L, "INVOICE", 0.03);
        stubList("2021-01", JSON.writeValueAsBytes(list));
        String good = new String(TestHarvest.fixtureCsv("A-CCT7890", "7300000201"), StandardCharsets.UTF_8);
        StringBuilder bad = new StringBuilder(good.strip());
        String row = good.lines().toList().get(1);
        for (int i = 0; i < 6000; i++) { // past the first batch: the failure comes from inside the split
            bad.append('\n').append(row.replace("Advanced Cache Control", "Zero " + i).replace(",0.01,,0.02,0,,0.03,", ",0,,0,0,,0,"));
        }
        bad.append('\n').append(row.replace(",7300000201,", ",7300000999,")).append('\n');
        stubFile("/invoicing-api/v4/contracts/C-1/invoices/7300000201/download", "REGULAR", "text/csv",
                bad.toString().getBytes(StandardCharsets.UTF_8));
        stubFile("/invoicing-api/v4/contracts/C-1/invoices/7300000202/download", "REGULAR", "text/csv",
                TestHarvest.fixtureCsv("A-CCT7890", "7300000202"));
        h.set("harvester.akamai.content-types", "text/csv").set("harvester.concurrency", "1");

        RunState run = h.run("2021-01");

        assertEquals(1, run.exitCode(), run.getFailures().toString());
        assertTrue(run.getFailures().toString().contains("INVOICE_ID 7300000999, but its list entry is invoice 7300000201"),
                run.getFailures().toString());
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_line WHERE invoice_id = '7300000201'"), "nothing of the failed file");
        assertTrue(h.count("SELECT COUNT(*) FROM ledger_line WHERE invoice_id = '7300000202'") > 0, "the next file is in");
    }

    @Test
    void aDebitMemoIsAPositiveCorrectionCountedApartAndAnUnknownTypeIsReportedByName() throws Exception {
        ArrayNode list = JSON.createArrayNode();
        csvInvoice(list, 9100000001L, "INVOICE", 0.03);
        csvInvoice(list, 9100000002L, "DEBIT_MEMO", 0.03);
        csvInvoice(list, 9100000003L, "REBATE_NOTE", 0.03);
        stubList("2021-01", JSON.writeValueAsBytes(list));
        for (long id = 9100000001L; id <= 9100000003L; id++) {
            stubFile("/invoicing-api/v4/contracts/C-1/invoices/" + id + "/download", "REGULAR", "text/csv",
                    TestHarvest.fixtureCsv("A-CCT7890", Long.toString(id)));
        }
        h.set("harvester.mail.when", "always");

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        String ledger = Files.readString(h.out().resolve("ledger/2021-01.csv"));
        List<String> debit = ledger.lines().filter(l -> l.contains(",9100000002,")).toList();
        assertEquals(2, debit.size(), ledger);
        assertTrue(debit.stream().allMatch(l -> l.contains(",Correction,") && !l.contains(",-0.0")), "positive corrections: " + debit);
        assertTrue(ledger.lines().filter(l -> l.contains(",9100000003,")).noneMatch(l -> l.contains(",Correction,")),
                "an unknown type is ingested as given");
        String summary = String.join("\n", h.outbox());
        assertTrue(summary.contains("Invoices: 1, credit memos: 0, debit memos: 1"), summary);
        assertTrue(summary.contains("Other types: REBATE_NOTE (1) - not known to the harvester: amounts as the files state them"),
                summary);
    }

    @Test
    void aBadJsonIsNotQuarantinedWhenTheInvoicesCsvIsItsSource() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/1234567890/download";
        ArrayNode list = JSON.createArrayNode();
        ObjectNode inv = list.addObject();
        inv.put("accountId", "A-CCT7890").put("contractId", "C-1").put("invoiceId", 1234567890L).put("invoiceType", "INVOICE")
                .put("invoiceTotal", 0.03).put("invoiceCurrency", "USD");
        ArrayNode files = inv.putArray("files");
        files.addObject().put("contentType", "application/json").put("fileName", "1234567890_1.json").put("fileVersion", 1)
                .put("sourceType", "REGULAR").put("fileLink", link);
        files.addObject().put("contentType", "text/csv").put("fileName", "1234567890_1.csv").put("fileVersion", 1)
                .put("sourceType", "REGULAR").put("fileLink", link);
        stubList("2021-01", JSON.writeValueAsBytes(list));
        stubFile(link, "REGULAR", "text/csv", TestHarvest.resource("/fixtures/akamai/invoice-download.csv"));
        stubFile(link, "REGULAR", "application/json", new String(TestHarvest.resource("/fixtures/akamai/invoice-download.json"),
                StandardCharsets.UTF_8).replace("\"INVOICE_CURRENCY\": \"USD\"", "\"INVOICE_CURRENCY\": \"XYZ\"")
                .getBytes(StandardCharsets.UTF_8));
        h.set("harvester.akamai.content-types", "text/csv,application/json");

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), "the CSV is the invoice's source: its JSON is archived, not judged: "
                + report.getFailures());
        assertEquals(2, h.count("SELECT COUNT(*) FROM harvested_file"));
        assertTrue(h.filesUnder(h.out().resolve("quarantine")).isEmpty());
        assertEquals(2, h.count("SELECT COUNT(*) FROM ledger_line"), "the CSV's usage and tax lines");
    }
}
