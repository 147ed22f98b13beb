package io.invoiceharvester.akamai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.RunLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Akamai routes against a WireMock stand-in serving the documented fixtures. */
class AkamaiHarvestTest extends HarvestTestSupport {

    static final String SWITCH_KEY = "1-5C0YLB:1-8BYUX";
    static final String LIST = "/invoicing-api/v4/invoices";
    /** Every download of invoice 9000000001..., whose contract is C-1. */
    static final String C1_LINKS = "/invoicing-api/v4/contracts/C-1/invoices/\\d+/download";
    static final byte[] PDF = "%PDF-1.4\n% invoice\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] COMPUTE_PDF = "%PDF-1.7\n% compute credit memo\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    static final ObjectMapper JSON = new ObjectMapper();

    private void stubList(String month, byte[] body) {
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("month", equalTo(month))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** @param link a download path, or a pattern of paths (C1_LINKS) */
    private void stubFile(String link, String sourceType, String contentType, byte[] body) {
        h.api.stubFor(get(urlPathMatching(link)).withQueryParam("sourceType", equalTo(sourceType))
                .withHeader("Accept", equalTo(contentType))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body)));
    }

    /** Every file of the project's list fixture: its own PDF for each PDF, the CSV fixture for each CSV. */
    private void stubFixtureFiles() throws Exception {
        h.stubAkamaiFile(TestHarvest.INVOICE_LINK, "REGULAR", "application/pdf", PDF);
        h.stubAkamaiFile(TestHarvest.INVOICE_LINK, "REGULAR", "text/csv", TestHarvest.fixtureCsv("A-CCT7890", "1234567890"));
        h.stubAkamaiFile(TestHarvest.CREDIT_MEMO_LINK, "COMPUTE", "application/pdf", COMPUTE_PDF);
        h.stubAkamaiFile(TestHarvest.CREDIT_MEMO_LINK, "COMPUTE", "text/csv", TestHarvest.fixtureCsv("A-CCT9012", "8234567890"));
    }

    /**
     * A list of one-PDF invoices of contract C-1, with the given file names and version, each its own
     * invoice id (9000000001, 9000000002, ...); the first's link is {@code link}, the others' name their own id.
     */
    private byte[] pdfList(String link, int version, String... fileNames) throws Exception {
        ArrayNode list = JSON.createArrayNode();
        long id = 9000000001L;
        for (String name : fileNames) {
            ObjectNode inv = list.addObject();
            inv.put("accountId", "A-1").put("contractId", "C-1").put("invoiceId", id).put("invoiceType", "INVOICE")
                    .put("invoiceTotal", 10.5).put("invoiceCurrency", "USD");
            inv.putArray("files").addObject().put("contentType", "application/pdf").put("fileName", name)
                    .put("fileVersion", version).put("sourceType", "REGULAR").put("fileLink", link.replace("9000000001", Long.toString(id)));
            id++;
        }
        return JSON.writeValueAsBytes(list);
    }

    @Test
    void harvestsTheFixtureListIntoDropAndArchiveWithEveryRequestValidlySigned() throws Exception {
        stubList("2021-01", TestHarvest.resource(TestHarvest.FIXTURE_LIST));
        stubFixtureFiles();
        h.set("harvester.akamai.account-switch-keys", SWITCH_KEY);

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        assertEquals(4, report.getFilesNew());
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
        assertEquals(0, second.getFilesNew());
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

        assertEquals(1, second.getFilesNew());
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
    void unauthorizedIsReportedWithTitleDetailAndRequestIdAndExitCode2() throws Exception {
        h.api.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/problem+json")
                .withBody(TestHarvest.resource("/fixtures/akamai/problem-401.json"))));

        RunState report = h.run("2021-01", "2021-02");

        assertEquals(2, report.exitCode());
        assertEquals(2, report.getFailures().size());
        String message = report.getFailures().get(0).message();
        assertTrue(message.contains("Not authorized") && message.contains("The signature does not match")
                && message.contains("requestId 933ed8a4"), message);
        assertEquals(2, h.requestsTo(LIST), "a 401 is not retried");
    }

    @Test
    void aForbiddenAccountNamesTheIncidentAndOtherAccountsStillRun() throws Exception {
        h.set("harvester.akamai.account-switch-keys", "1-AAA:1-DENIED," + SWITCH_KEY);
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("accountSwitchKey", equalTo("1-AAA:1-DENIED"))
                .willReturn(aResponse().withStatus(403).withBody(TestHarvest.resource("/fixtures/akamai/problem-403.json"))));
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("accountSwitchKey", equalTo(SWITCH_KEY))
                .willReturn(aResponse().withStatus(204)));

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode(), "one account worked: not a credential error of the whole run");
        assertEquals(1, report.getFailures().size());
        assertTrue(report.getFailures().get(0).message().contains("incidentId c7b6d7be-9268-4410-a031-cc0d013ce5c3"));
        assertTrue(report.getFailures().get(0).item().contains("1-AAA:1-DENIED"));
    }

    @Test
    void aMalformedListNamesAccountAndMonthAndOtherMonthsGoOn() throws Exception {
        stubList("2021-01", "{\"invoices\": []}".getBytes(StandardCharsets.UTF_8));
        stubList("2021-02", TestHarvest.resource(TestHarvest.FIXTURE_LIST));
        stubFixtureFiles();

        RunState report = h.run("2021-01", "2021-02");

        assertEquals(1, report.exitCode());
        assertEquals(1, report.getFailures().size());
        RunState.Failure f = report.getFailures().get(0);
        assertTrue(f.message().contains("2021-01") && f.message().contains("own account")
                && f.message().contains("expected a JSON array"), f.message());
        assertEquals(4, report.getFilesNew(), "2021-02 was harvested");
    }

    @Test
    void aFileLinkToAnotherHostIsRefusedWithoutAnyRequest() throws Exception {
        stubList("2021-01", pdfList("https://attacker.example/steal", 1, "inv.pdf"));

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        assertTrue(report.getFailures().get(0).message().contains("another host"), report.getFailures().toString());
        assertEquals(1, h.requests().size(), "only the list call was made");
        assertEquals(0, h.count("SELECT COUNT(*) FROM harvested_file"));
    }

    /**
     * The published list example links every file to invoice 8234567890 of contract C-0N7RAC7, even the
     * first invoice's and the credit memo of another contract: each such link is refused before anything is
     * sent, naming both sets of ids, so that one invoice's bytes are never archived or dropped as another's.
     */
    @Test
    void aFileLinkNamingAnotherInvoiceOrContractThanItsEntryIsRefusedNamingBoth() throws Exception {
        stubList("2021-01", TestHarvest.resource("/fixtures/akamai/list-invoices.json"));
        h.api.stubFor(get(urlPathMatching(TestHarvest.DOWNLOADS + ".*")).willReturn(aResponse().withBody(PDF)));

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        String failures = report.getFailures().toString();
        assertEquals(4, report.getFailureCount(), failures);
        assertTrue(failures.contains("fileLink names contract C-0N7RAC7, invoice 8234567890; its list entry is contract C-0N7RAC7,"
                + " invoice 1234567890"), failures);
        assertTrue(failures.contains("fileLink names contract C-0N7RAC7, invoice 8234567890; its list entry is contract K-0N7RAK71,"
                + " invoice 8234567890"), failures);
        assertEquals(0, h.requestsTo(TestHarvest.DOWNLOADS), "nothing was fetched");
        assertEquals(0, h.count("SELECT COUNT(*) FROM harvested_file"));
    }

    @Test
    void aLinkWithItsOwnQueryKeepsItAndGetsOnlyWhatItLacks() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link + "?sourceType=REGULAR&lang=en", 1, "inv.pdf"));
        stubFile(link, "REGULAR", "application/pdf", PDF);
        h.set("harvester.akamai.account-switch-keys", SWITCH_KEY);

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        String url = h.requests().stream().map(LoggedRequest::getUrl).filter(u -> u.startsWith(link)).findFirst().orElseThrow();
        assertEquals(link + "?sourceType=REGULAR&lang=en&accountSwitchKey=" + SWITCH_KEY, url, "sourceType once, never a list");
        h.assertEveryRequestValidlySigned();
    }

    /** A CSV or JSON that states another invoice or account than its list entry is refused, not booked under the entry. */
    @Test
    void contentOfAnotherInvoiceOrAccountIsRefusedNotBookedUnderTheEntry() throws Exception {
        ArrayNode list = JSON.createArrayNode();
        for (long id : new long[] {7300000101L, 7300000102L}) {
            ObjectNode inv = list.addObject();
            inv.put("accountId", "A-CCT7890").put("contractId", "C-1").put("invoiceId", id).put("invoiceType", "INVOICE")
                    .put("invoiceTotal", 0.03).put("invoiceCurrency", "USD");
            inv.putArray("files").addObject().put("contentType", id == 7300000101L ? "text/csv" : "application/json")
                    .put("fileName", id + "_1." + (id == 7300000101L ? "csv" : "json")).put("fileVersion", 1)
                    .put("sourceType", "REGULAR").put("fileLink", "/invoicing-api/v4/contracts/C-1/invoices/" + id + "/download");
        }
        stubList("2021-01", JSON.writeValueAsBytes(list));
        stubFile("/invoicing-api/v4/contracts/C-1/invoices/7300000101/download", "REGULAR", "text/csv",
                TestHarvest.fixtureCsv("A-CCT7890", "7300000999"));
        stubFile("/invoicing-api/v4/contracts/C-1/invoices/7300000102/download", "REGULAR", "application/json",
                new String(TestHarvest.resource("/fixtures/akamai/invoice-download.json"), StandardCharsets.UTF_8)
                        .replace("\"INVOICE_ID\": 1234567890", "\"INVOICE_ID\": 7300000102")
                        .replace("\"ACCOUNT_ID\": \"A-CCT7890\"", "\"ACCOUNT_ID\": \"A-OTHER01\"").getBytes(StandardCharsets.UTF_8));
        h.set("harvester.akamai.content-types", "text/csv,application/json");

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        String failures = report.getFailures().toString();
        assertTrue(failures.contains("INVOICE_ID 7300000999, but its list entry is invoice 7300000101"), failures);
        assertTrue(failures.contains("ACCOUNT_ID A-OTHER01, but its list entry is account A-CCT7890"), failures);
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_line"), "nothing booked under either entry");
        assertEquals(0, h.count("SELECT COUNT(*) FROM harvested_file"));
        assertEquals(2, h.filesUnder(h.out().resolve("quarantine")).stream()
                .filter(p -> p.toString().endsWith(".reason.txt")).count(), "both quarantined with their reason");
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

    /** One invoice of account A-CCT7890, contract C-1, with a CSV of its own. */
    private ObjectNode csvInvoice(ArrayNode list, long id, String type, Object total) {
        ObjectNode inv = list.addObject();
        inv.put("accountId", "A-CCT7890").put("contractId", "C-1").put("invoiceId", id).put("invoiceType", type)
                .put("invoiceCurrency", "USD").put("invoiceDate", "2021-02-01");
        inv.set("invoiceTotal", JSON.valueToTree(total));
        inv.putArray("files").addObject().put("contentType", "text/csv").put("fileName", id + ".csv").put("fileVersion", 1)
                .put("sourceType", "REGULAR").put("fileLink", "/invoicing-api/v4/contracts/C-1/invoices/" + id + "/download")
                .put("fileCreationDate", "2021-02-01");
        return inv;
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
    void anEntryWithoutFilesOrWithAnUnusableTypeTotalOrCurrencyIsReportedOnItsOwn() throws Exception {
        ArrayNode list = JSON.createArrayNode();
        csvInvoice(list, 9100000011L, "INVOICE", 0.03);
        csvInvoice(list, 9100000012L, "INVOICE", 0.03).remove("files");
        csvInvoice(list, 9100000013L, "INVOICE", "lots");
        csvInvoice(list, 9100000014L, "INVOICE_OF_A_KIND_NO_DATABASE_COLUMN_HOLDS_AT_ALL", 0.03);
        csvInvoice(list, 9100000015L, "INVOICE", 0.03).put("invoiceCurrency", "EURO");
        stubList("2021-01", JSON.writeValueAsBytes(list));
        for (long id = 9100000011L; id <= 9100000015L; id++) {
            stubFile("/invoicing-api/v4/contracts/C-1/invoices/" + id + "/download", "REGULAR", "text/csv",
                    TestHarvest.fixtureCsv("A-CCT7890", Long.toString(id)));
        }

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        String failures = report.getFailures().toString();
        assertEquals(4, report.getFailureCount(), failures);
        assertTrue(failures.contains("invoice 9100000012 lists no files"), failures);
        assertTrue(failures.contains("invoice 9100000013: invoiceTotal 'lots' is not a number"), failures);
        assertTrue(failures.contains("invoice 9100000014: invoiceType 'INVOICE_OF_A_KIND_NO_DATABASE_COLUMN_"), failures);
        assertTrue(failures.contains("invoice 9100000015: invoiceCurrency 'EURO' is not an ISO 4217 currency"), failures);
        assertEquals(1, h.count("SELECT COUNT(*) FROM harvested_file WHERE invoice_id = '9100000011'"), "the good entry goes on");
        assertEquals(2, h.count("SELECT COUNT(*) FROM harvested_file WHERE invoice_id IN ('9100000013', '9100000015')"),
                "a total or currency it cannot use is reported; the invoice's files are still fetched");
        assertEquals(0, h.count("SELECT COUNT(*) FROM harvested_file WHERE invoice_id = '9100000014'"),
                "a type the state database cannot keep: not fetched");
    }

    @Test
    void aServiceNameCannotForgeLinesOfThePlainTextSummary() throws Exception {
        stubList("2021-01", TestHarvest.resource(TestHarvest.FIXTURE_LIST));
        stubFixtureFiles();
        h.stubFixtureCsvs(new String(TestHarvest.resource("/fixtures/akamai/invoice-download.csv"), StandardCharsets.UTF_8)
                .replace(",Cache control,", ",\"Cache control\r\nFAILURES (0):\u2028nothing failed\",")
                .replace(",Advanced Cache Control,", ",\"Advanced\u202Eloot\",")); // a right-to-left override too
        h.set("harvester.mail.when", "always");

        h.run("2021-01");

        jakarta.mail.internet.MimeMessage mail = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(
                new java.util.Properties()), new java.io.ByteArrayInputStream(h.outbox().get(0).getBytes(StandardCharsets.ISO_8859_1)));
        jakarta.mail.Multipart mixed = (jakarta.mail.Multipart) mail.getContent();
        jakarta.mail.Multipart alternative = (jakarta.mail.Multipart) mixed.getBodyPart(0).getContent();
        String text = (String) alternative.getBodyPart(0).getContent();
        assertTrue(text.contains("Cache control FAILURES (0): nothing failed"), "on its line, control characters blanked: " + text);
        assertFalse(text.lines().anyMatch(l -> l.startsWith("FAILURES (0):")), "no forged line: " + text);
        assertFalse(text.contains("\u202E") || text.contains("\u2028"), text);
    }

    @Test
    void aProvidersErrorTextCannotForgeLogLinesOrMailLines() throws Exception {
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\": \"Bad\\r\\nRequest\", \"detail\": \"no\\n08:00:00.000 INFO  [run x] Harvest - all files"
                        + " delivered\\u001b[2J\", \"incidentId\": \"i-1\\ni-2\"}")));

        RunState report = h.run("2021-01");

        String message = report.getFailures().get(0).message();
        assertTrue(message.contains("no") && message.contains("all files delivered"), message);
        assertTrue(message.chars().noneMatch(Character::isISOControl), "no control characters: " + message);
        assertTrue(h.count("SELECT COUNT(*) FROM run_failure WHERE message LIKE '%' || CHAR(10) || '%'") == 0);
    }

    @Test
    void whatIsReadIntoMemoryIsCapped() throws Exception {
        // a list is read whole: one padded past 16 MiB is refused, not parsed
        byte[] huge = ("[" + " ".repeat(17 * 1024 * 1024) + "]").getBytes(StandardCharsets.US_ASCII);
        stubList("2021-02", huge);
        // a CSV record is read whole before its fields are checked: a line past 1 MiB stops the file
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        ArrayNode list = (ArrayNode) JSON.readTree(pdfList(link, 1, "inv.csv"));
        ((ObjectNode) list.get(0).get("files").get(0)).put("contentType", "text/csv");
        stubList("2021-01", JSON.writeValueAsBytes(list));
        String csv = new String(TestHarvest.resource("/fixtures/akamai/invoice-download.csv"), StandardCharsets.UTF_8);
        stubFile(link, "REGULAR", "text/csv", (csv.substring(0, csv.indexOf('\n') + 1) + "x".repeat(3 * 1024 * 1024))
                .getBytes(StandardCharsets.UTF_8));

        RunState report = h.run("2021-01", "2021-02");

        String failures = report.getFailures().toString();
        assertTrue(failures.contains("the response is larger than 16 MiB"), failures);
        assertTrue(failures.contains("line 2: longer than 1048576 characters"), failures);
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_line"));
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

    @Test
    void rateLimitWaitsCountAgainstTheRequestsMaxWait() throws Exception {
        h.set("harvester.retry.max-wait", "PT2S").set("harvester.retry.max-attempts", "10");
        h.api.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        // 1 s asked each time: the first wait takes 1 s, the second what is left of the 2 s, then no more
        assertEquals(3, h.requests().size(), "waits, asked or backoff, add up to harvester.retry.max-wait");
    }

    /**
     * Akamai's documented 429: problem+json saying when the next request may go (2 s after this one, by
     * WireMock's clock at the request); no header says it.
     */
    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder tooManyRequests() {
        return aResponse().withStatus(429).withHeader("Content-Type", "application/problem+json").withTransformers("response-template")
                .withBody("{\"type\": \"/billing/error-types/429\", \"title\": \"Too Many Requests\", \"detail\": \"rate limit"
                        + " exceeded\", \"details\": \"10 requests a minute for this account\", \"rateLimit\": 10,"
                        + " \"rateLimitRemaining\": 0, \"rateLimitReset\": \"{{now offset='30 seconds'}}\","
                        + " \"rateLimitNextRequest\": \"{{now offset='2 seconds'}}\"}");
    }

    @Test
    void a429WaitsUntilTheBodysNextRequestTimeAndItsDetailsReachTheReport() throws Exception {
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("month", equalTo("2021-01")).inScenario("limited")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(tooManyRequests()).willSetStateTo("open"));
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("month", equalTo("2021-01")).inScenario("limited")
                .whenScenarioStateIs("open").willReturn(aResponse().withStatus(204)));
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("month", equalTo("2021-02")).willReturn(tooManyRequests()));
        h.set("harvester.retry.max-attempts", "2");

        RunState report = h.run("2021-01", "2021-02");

        List<LoggedRequest> january = h.requests().stream().filter(r -> r.getUrl().contains("month=2021-01")).toList();
        assertEquals(2, january.size());
        long waited = january.get(1).getLoggedDate().getTime() - january.get(0).getLoggedDate().getTime();
        // rateLimitNextRequest has whole seconds: at least 1 s, at most 2 s after the first request
        assertTrue(waited >= 1000, "the retry waited for rateLimitNextRequest: " + waited + " ms");
        assertEquals(1, report.getFailureCount(), report.getFailures().toString());
        String message = report.getFailures().get(0).message();
        assertTrue(message.contains("HTTP 429: Too Many Requests") && message.contains("10 requests a minute for this account"),
                message);
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
        assertEquals(0, h.run("2021-01").getFilesNew(), "recorded: not fetched again");
    }

    @Test
    void aServerErrorIsRetriedWithAFreshSignature() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "inv.pdf"));
        h.api.stubFor(get(urlPathEqualTo(link)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        h.api.stubFor(get(urlPathEqualTo(link)).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody(PDF)));

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        List<LoggedRequest> downloads = h.requests().stream().filter(r -> r.getUrl().startsWith(link)).toList();
        assertEquals(2, downloads.size());
        assertNotEquals(downloads.get(0).getHeader("Authorization"), downloads.get(1).getHeader("Authorization"));
        h.assertEveryRequestValidlySigned();
        assertArrayEquals(PDF, Files.readAllBytes(h.drop().resolve("akamai/A-1/2021-01/9000000001_v1_inv.pdf")));
    }

    @Test
    void retriesStopAtTheConfiguredNumberOfAttempts() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "inv.pdf"));
        h.api.stubFor(get(urlPathEqualTo(link)).willReturn(aResponse().withStatus(500)
                .withBody(TestHarvest.resource("/fixtures/akamai/problem-500.json"))));
        h.set("harvester.retry.max-attempts", "3");

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        assertEquals(3, h.requestsTo(link));
        assertTrue(report.getFailures().get(0).message().contains("incidentId 82ea2b60-a0c8-425f-9300-85bb3185cdf2"));
        assertEquals(0, h.count("SELECT COUNT(*) FROM harvested_file"), "a failed file is not recorded: the next run tries again");
    }

    @Test
    void contentThatIsNotWhatItClaimsIsQuarantinedAndFetchedAgainNextRun() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "inv.pdf"));
        stubFile(link, "REGULAR", "application/pdf", "<html>maintenance</html>".getBytes(StandardCharsets.UTF_8));

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        Path quarantined = h.out().resolve("quarantine/akamai/A-1/2021-01/9000000001/v1/inv.pdf");
        assertEquals("<html>maintenance</html>", Files.readString(quarantined));
        assertTrue(Files.readString(quarantined.resolveSibling("inv.pdf.reason.txt")).contains("%PDF-"));
        assertTrue(h.filesUnder(h.drop()).isEmpty());
        assertTrue(h.filesUnder(h.out().resolve("archive")).isEmpty());

        h.run("2021-01");
        assertEquals(2, h.requestsTo(link), "quarantined files are fetched again");
    }

    @Test
    void aDownloadLargerThanTheLimitIsCutOffAndReported() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "big.pdf"));
        byte[] big = new byte[50_000];
        System.arraycopy(PDF, 0, big, 0, PDF.length);
        stubFile(link, "REGULAR", "application/pdf", big);
        h.set("harvester.download.max-bytes", "10000");

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        assertTrue(report.getFailures().get(0).message().contains("exceeds harvester.download.max-bytes (10000)"),
                report.getFailures().toString());
        assertTrue(h.filesUnder(h.drop()).isEmpty() && h.filesUnder(h.out().resolve("archive")).isEmpty());
        assertTrue(h.filesUnder(h.out().resolve(".tmp")).isEmpty(), "nothing of it left on disk");
    }

    @Test
    void aChunkedDownloadWithoutLengthIsCutOffAtTheLimitToo() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "big.pdf"));
        byte[] big = new byte[50_000];
        System.arraycopy(PDF, 0, big, 0, PDF.length);
        h.api.stubFor(get(urlPathEqualTo(link)).willReturn(aResponse().withBody(big).withChunkedDribbleDelay(5, 50)));
        h.set("harvester.download.max-bytes", "10000");

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        assertTrue(report.getFailures().get(0).message().contains("cut off"), report.getFailures().toString());
        assertTrue(h.filesUnder(h.out().resolve(".tmp")).isEmpty());
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
        assertEquals(1, report.getFilesNew());
        assertEquals(2, h.requests().size(), "one list call, one download: nothing else fetched");
    }

    @Test
    void aResponseSlowerThanTheReadTimeoutIsRetriedThenReported() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "slow.pdf"));
        h.api.stubFor(get(urlPathEqualTo(link)).willReturn(aResponse().withBody(PDF).withFixedDelay(3000)));
        h.set("harvester.http.read-timeout", "300").set("harvester.retry.max-attempts", "2");

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        assertEquals(2, h.requestsTo(link), "the timed-out request was tried again");
        assertTrue(report.getFailures().get(0).message().toLowerCase().contains("timeout")
                || report.getFailures().get(0).message().toLowerCase().contains("timed out"), report.getFailures().toString());
    }

    @Test
    void aConnectionResetMidDownloadIsRetriedAndTheFileArrivesWhole() throws Exception {
        String link = "/invoicing-api/v4/contracts/C-1/invoices/9000000001/download";
        stubList("2021-01", pdfList(link, 1, "inv.pdf"));
        h.api.stubFor(get(urlPathEqualTo(link)).inScenario("reset").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.RANDOM_DATA_THEN_CLOSE))
                .willSetStateTo("ok"));
        h.api.stubFor(get(urlPathEqualTo(link)).inScenario("reset").whenScenarioStateIs("ok")
                .willReturn(aResponse().withBody(PDF)));

        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        assertEquals(2, h.requestsTo(link));
        assertArrayEquals(PDF, Files.readAllBytes(h.drop().resolve("akamai/A-1/2021-01/9000000001_v1_inv.pdf")));
    }

    /**
     * A download that cannot be saved (its temporary folder cannot be made: here a file stands where it
     * goes) fails before its body is read: the attempt must give its request slot back, or with one slot
     * the retry waits for it forever.
     */
    @Test
    void aDownloadThatCannotBeSavedGivesItsRequestSlotBackOnEveryAttempt() throws Exception {
        stubList("2021-01", pdfList("/invoicing-api/v4/contracts/C-1/invoices/9000000001/download", 1, "a.pdf", "b.pdf"));
        stubFile(C1_LINKS, "REGULAR", "application/pdf", PDF);
        h.set("harvester.concurrency", "1").set("harvester.retry.max-attempts", "3");
        Files.createDirectories(h.out());
        Files.writeString(h.out().resolve(".tmp"), "not a folder");

        RunState report = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> h.run("2021-01"), "the run ends: no attempt keeps its slot");

        assertEquals(1, report.exitCode());
        assertEquals(2, report.getFailureCount(), report.getFailures().toString());
        assertEquals(6, h.requestsTo(TestHarvest.DOWNLOADS), "three attempts of each file, each with a slot of its own");
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
}
