package io.invoiceharvester.akamai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.RunState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What the Akamai harvest refuses from the API, and how it says so: links elsewhere, content of another invoice,
 * unusable entries, text that would forge lines, sizes past the caps, content that is not what it claims.
 */
class AkamaiRefusalsTest extends AkamaiTestSupport {

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
}
