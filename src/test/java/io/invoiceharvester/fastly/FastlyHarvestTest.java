package io.invoiceharvester.fastly;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.RunState;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Fastly routes against a WireMock stand-in serving the documented shapes. */
class FastlyHarvestTest extends HarvestTestSupport {

    static final String LIST = "/billing/v3/invoices";
    static final String TOKEN = "fastly-test-token-0123456789";
    static final String ODD_CURSOR = "eyJvZmZzZXQiOjN9+/=";
    static final ObjectMapper JSON = new ObjectMapper();
    /** The fixture's invoices start in these months; a listing keeps the invoices that start in its month. */
    static final String[] FIXTURE_MONTHS = {"2024-08", "2024-09", "2024-10"};

    ObjectNode page1;
    ObjectNode page2;

    @BeforeEach
    void setUp() throws Exception {
        h.set("harvester.akamai.enabled", "false").set("harvester.fastly.enabled", "true")
                .set("harvester.fastly.base-url", h.api.baseUrl()).set("harvester.fastly.api-token", TOKEN);
        page1 = (ObjectNode) JSON.readTree(TestHarvest.resource("/fixtures/fastly/list-invoices-page1.json"));
        page2 = (ObjectNode) JSON.readTree(TestHarvest.resource("/fixtures/fastly/list-invoices-page2.json"));
    }

    private void stubPage(String cursor, JsonNode body) {
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("cursor", cursor == null ? absent() : equalTo(cursor))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body.toString())));
    }

    private void stubInvoices(JsonNode... pages) {
        for (JsonNode page : pages) {
            for (JsonNode inv : page.get("data")) {
                h.api.stubFor(get(urlPathEqualTo(LIST + "/" + inv.get("invoice_id").asText()))
                        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(inv.toString())));
            }
        }
    }

    /** The fixture's two pages split into three: page 1's second invoice moves to a page of its own. */
    private void stubThreePages() {
        ArrayNode data = (ArrayNode) page1.get("data");
        ObjectNode middle = JSON.createObjectNode();
        middle.putArray("data").add(data.remove(1));
        middle.putObject("meta").put("next_cursor", ODD_CURSOR);
        ((ObjectNode) page1.get("meta")).put("next_cursor", "c1");
        stubPage(null, page1);
        stubPage("c1", middle);
        stubPage(ODD_CURSOR, page2);
        stubInvoices(page1, middle, page2);
    }

    private List<LoggedRequest> listRequests() {
        return h.requests().stream().filter(r -> r.getUrl().startsWith(LIST + "?")).toList();
    }

    private long invoiceRequests() {
        return h.requests().stream().filter(r -> r.getUrl().matches(LIST + "/\\d+")).count();
    }

    @Test
    void anInvoiceWithABadMonthOrAnUnboundedAmountIsReportedOnItsOwnAndTheOthersGoOn() throws Exception {
        ((ObjectNode) page1.get("data").get(0)).put("billing_start_date", "2024-1x-01T00:00:00Z");
        ((ObjectNode) page2.get("data").get(0)).put("monthly_transaction_amount", new java.math.BigDecimal("1e999999999"));
        ((ObjectNode) page1.get("meta")).put("next_cursor", "c1");
        stubPage(null, page1);
        stubPage("c1", page2);
        stubInvoices(page1, page2);

        RunState report = h.run(FIXTURE_MONTHS);

        assertEquals(1, report.exitCode());
        String failures = report.getFailures().toString();
        assertTrue(failures.contains("billing_start_date '2024-1x-01T00:00:00Z' is not a date"), failures);
        assertTrue(failures.contains("invoice 2221999: monthly_transaction_amount") && failures.contains("out of range"), failures);
        assertEquals(1, h.count("SELECT COUNT(*) FROM harvested_file WHERE invoice_id = '2222111'"), "the other entry goes on");
        RunState again = h.run(FIXTURE_MONTHS);
        assertTrue(again.getFailures().toString().contains("is not a date"), "reported again, and the run still ends");
    }

    /** An invoice of the fixture with this id, billing period and total; its one line carries the total. */
    private ObjectNode invoiceStarting(String id, String start, String end, String amount) {
        ObjectNode inv = page1.get("data").get(0).deepCopy();
        inv.put("invoice_id", id).put("billing_start_date", start).put("billing_end_date", end)
                .put("monthly_transaction_amount", new BigDecimal(amount));
        ArrayNode items = inv.putArray("transaction_line_items");
        items.addObject().put("description", "Bandwidth").put("amount", new BigDecimal(amount)).put("rate", new BigDecimal("0.08"))
                .put("units", 10).put("product_name", "CDN").put("usage_type", "Bandwidth");
        return inv;
    }

    @Test
    void eachInvoiceLandsInTheMonthItsBillingStartFallsInInUtcWhateverTheServerFiltersOrTheOffset() throws Exception {
        // a server that ignores the filters (the widest reading): every listing sees every invoice
        ObjectNode all = JSON.createObjectNode();
        ArrayNode data = all.putArray("data");
        data.add(invoiceStarting("4000201", "2025-03-01T00:00:00+01:00", "2025-03-31T23:59:59+01:00", "10.00")); // Feb 28 23:00Z
        data.add(invoiceStarting("4000301", "2025-02-28T16:00:00-08:00", "2025-03-31T15:59:59-08:00", "20.00")); // Mar 1 00:00Z
        data.add(invoiceStarting("4000302", "2025-03-01", "2025-03-31", "30.00")); // a bare date is 00:00Z
        data.add(invoiceStarting("4000401", "2025-04-01T00:00:00Z", "2025-04-30T23:59:59Z", "40.00"));
        all.putObject("meta").put("next_cursor", "").put("total", 4);
        stubPage(null, all);
        stubInvoices(all);

        RunState report = h.run("2025-02", "2025-03");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        List<String> lists = listRequests().stream().map(LoggedRequest::getUrl).sorted().toList();
        assertEquals(List.of(LIST + "?billing_start_date=2025-01-31&billing_end_date=2025-04-01&limit=200",
                LIST + "?billing_start_date=2025-02-28&billing_end_date=2025-05-01&limit=200"), lists);
        assertEquals(1, h.count("SELECT COUNT(*) FROM harvested_file WHERE invoice_id = '4000201' AND billing_month = '2025-02'"));
        assertEquals(1, h.count("SELECT COUNT(*) FROM harvested_file WHERE invoice_id = '4000301' AND billing_month = '2025-03'"));
        assertEquals(1, h.count("SELECT COUNT(*) FROM harvested_file WHERE invoice_id = '4000302' AND billing_month = '2025-03'"));
        assertEquals(3, h.count("SELECT COUNT(*) FROM harvested_file"), "each invoice once; April's in no month asked for");
        String february = Files.readString(h.out().resolve("ledger/2025-02.csv"));
        String march = Files.readString(h.out().resolve("ledger/2025-03.csv"));
        assertTrue(february.contains("4000201") && !february.contains("4000301") && !february.contains("4000302"), february);
        assertTrue(march.contains("4000301") && march.contains("4000302") && !march.contains("4000201"), march);
        // the ledger's period is the UTC one: 2025-02-28T23:00Z starts on February 28th
        assertTrue(february.contains("2025-02-28T00:00:00Z"), february);
    }

    @Test
    void aPageWithoutDataIsEmptyAndAnEntryMissingFieldsIsReportedWhileTheOthersGoOn() throws Exception {
        ObjectNode first = JSON.createObjectNode();
        first.putObject("meta").put("next_cursor", "c1");
        ObjectNode second = JSON.createObjectNode();
        second.putNull("data");
        second.putObject("meta").put("next_cursor", "c2");
        ObjectNode third = JSON.createObjectNode();
        ArrayNode data = third.putArray("data");
        ObjectNode noCustomer = invoiceStarting("4000210", "2025-02-01T00:00:00Z", "2025-02-28T23:59:59Z", "5.00");
        noCustomer.remove("customer_id");
        ObjectNode noStart = invoiceStarting("4000211", "2025-02-01T00:00:00Z", "2025-02-28T23:59:59Z", "6.00");
        noStart.putNull("billing_start_date");
        data.add(noCustomer);
        data.add(noStart);
        data.add(invoiceStarting("4000212", "2025-02-01T00:00:00Z", "2025-02-28T23:59:59Z", "7.00"));
        stubPage(null, first);
        stubPage("c1", second);
        stubPage("c2", third);
        stubInvoices(third);

        RunState report = h.run("2025-02");

        assertEquals(1, report.exitCode());
        String failures = report.getFailures().toString();
        assertEquals(2, report.getFailureCount(), failures);
        assertTrue(failures.contains("invoice 4000210") && failures.contains("lacks customer_id"), failures);
        assertTrue(failures.contains("invoice 4000211") && failures.contains("lacks billing_start_date"), failures);
        assertEquals(1, h.count("SELECT COUNT(*) FROM harvested_file WHERE invoice_id = '4000212'"), "the rest of the page goes on");
    }

    @Test
    void anInvoiceBodyOfAnotherInvoiceIsRefusedNotBookedUnderTheEntry() throws Exception {
        stubPage(null, page2);
        ObjectNode other = page1.get("data").get(0).deepCopy();
        h.api.stubFor(get(urlPathEqualTo(LIST + "/2221999"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(other.toString())));

        RunState report = h.run("2024-08");

        assertEquals(1, report.exitCode());
        assertTrue(report.getFailures().toString().contains("invoice_id 2222333, but its list entry is invoice 2221999"),
                report.getFailures().toString());
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_line"));
        assertEquals(0, h.count("SELECT COUNT(*) FROM harvested_file"));
    }

    /** FOCUS forbids a ChargePeriodEnd before its ChargePeriodStart: such an invoice is reported and kept out of the ledger. */
    @Test
    void anInvoiceEndingBeforeItBeginsIsReportedAndKeptOutOfTheLedger() throws Exception {
        stubPage(null, page2);
        ObjectNode backwards = page2.get("data").get(0).deepCopy();
        String start = backwards.get("billing_start_date").asText();
        backwards.put("billing_end_date", java.time.OffsetDateTime.parse(start).minusDays(3).toString());
        h.api.stubFor(get(urlPathEqualTo(LIST + "/" + backwards.get("invoice_id").asText()))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(backwards.toString())));

        RunState report = h.run("2024-08");

        assertEquals(1, report.exitCode());
        assertTrue(report.getFailures().toString().contains("precedes billing_start_date " + start), report.getFailures().toString());
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_line"), "kept out of the ledger");
    }

    @Test
    void aListEntryThatChangesWhileItsInvoiceDoesNotIsFetchedOnceNotEveryRun() throws Exception {
        ((ObjectNode) page1.get("meta")).put("next_cursor", "c1");
        stubPage(null, page1);
        stubPage("c1", page2);
        stubInvoices(page1, page2);
        h.run("2024-10");
        long fetched = invoiceRequests();

        // the list entry changes (a field the invoice body does not carry), the invoice itself does not
        ((ObjectNode) page1.get("data").get(0)).put("statement_number", "STMT-REISSUED");
        stubPage(null, page1);
        RunState second = h.run("2024-10");
        assertEquals(fetched + 1, invoiceRequests(), "the changed entry is fetched once, to compare its body");
        assertEquals(0, second.getFilesStored());

        h.run("2024-10");
        assertEquals(fetched + 1, invoiceRequests(), "and never again while the entry stays as it is");
    }

    @Test
    void allThreePagesAreFollowedWithTheCursorUrlEncodedAndTheKeyOnEveryRequest() throws Exception {
        stubThreePages();

        RunState report = h.run(FIXTURE_MONTHS);

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        List<String> october = listRequests().stream().map(LoggedRequest::getUrl)
                .filter(u -> u.contains("billing_start_date=2024-09-30&billing_end_date=2024-12-01&limit=200")).toList();
        assertEquals(3, october.size(), "every page of the month's listing: " + october);
        assertEquals(9, listRequests().size(), "three pages for each of the three months");
        assertTrue(october.stream().anyMatch(u -> u.endsWith("&cursor=eyJvZmZzZXQiOjN9%2B%2F%3D")), october.toString());
        assertEquals(3, invoiceRequests(), "each invoice fetched once, by the listing of its own month");
        assertTrue(h.requests().stream().allMatch(r -> TOKEN.equals(r.getHeader("Fastly-Key"))));
        assertTrue(h.requests().stream().noneMatch(r -> r.containsHeader("Authorization")));
        Path archived = h.filesUnder(h.out().resolve("archive/fastly/x4xCwxxJxGCx123Rx5xTx/2024-10/2222333")).get(0);
        assertEquals("invoice-2222333.json", archived.getFileName().toString());
        assertEquals(page1.get("data").get(0).toString(), Files.readString(archived));
        assertEquals(3, h.count("SELECT COUNT(*) FROM harvested_file WHERE provider = 'fastly'"));
    }

    @Test
    void aRepeatedCursorStopsTheLoopWithAnError() throws Exception {
        ((ObjectNode) page1.get("meta")).put("next_cursor", "again");
        ((ObjectNode) page2.get("meta")).put("next_cursor", "again");
        stubPage(null, page1);
        stubPage("again", page2);
        stubInvoices(page1, page2);

        RunState report = h.run("2024-10");

        assertEquals(1, report.exitCode());
        assertEquals(2, listRequests().size(), "stopped instead of asking for 'again' forever");
        assertTrue(report.getFailures().get(0).message().contains("repeated the list cursor 'again'"), report.getFailures().toString());
    }

    @Test
    void aRefusedKeyIsReportedNamingTheSetting() throws Exception {
        h.api.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withStatus(401)
                .withBody(TestHarvest.resource("/fixtures/fastly/error-401.json"))));

        RunState report = h.run("2024-10");

        assertEquals(2, report.exitCode());
        String message = report.getFailures().get(0).message();
        assertTrue(message.startsWith("HTTP 401: Unauthorized") && message.contains("harvester.fastly.api-token"), message);
        assertTrue(!message.contains(TOKEN) && !message.contains("\n"));
    }

    @Test
    void bothSpellingsLandInTheSameLedgerColumnsAndTotalsEqualTheInvoice() throws Exception {
        ObjectNode pascal = (ObjectNode) page1.get("data").get(1);
        for (JsonNode item : pascal.get("transaction_line_items")) {
            ObjectNode i = (ObjectNode) item;
            for (String[] names : new String[][] {{"product_name", "ProductName"}, {"product_group", "ProductGroup"},
                    {"product_line", "ProductLine"}, {"region", "Region"}, {"usage_type", "UsageType"}}) {
                i.set(names[1], i.remove(names[0]));
            }
        }
        ((ObjectNode) page1.get("meta")).put("next_cursor", "c1");
        stubPage(null, page1);
        stubPage("c1", page2);
        stubInvoices(page1, page2);

        RunState report = h.run(FIXTURE_MONTHS);
        assertEquals(0, report.exitCode(), report.getFailures().toString());

        String september = Files.readString(h.out().resolve("ledger/2024-09.csv"));
        // the PascalCase line: product, group, line, region and usage type all found
        assertTrue(september.contains(",Usage,,Usage-Based,Compute Requests,Compute,Compute,Serverless Compute,,,,Standard,424.8,"
                + "1000000 Requests,0.5,424800000.0,Requests,212.40,212.40,212.40,212.40,USD,"), september);
        assertTrue(september.contains(",requests,Requests,Compute,Compute,Global,,"), september);
        try (Connection c = DriverManager.getConnection(h.stateUrl(), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT i.invoice_id, i.invoice_total, SUM(l.billed_cost), i.reconciled"
                     + " FROM ledger_invoice i JOIN ledger_line l ON l.invoice_id = i.invoice_id WHERE i.provider = 'fastly'"
                     + " GROUP BY i.invoice_id, i.invoice_total, i.reconciled ORDER BY i.invoice_id")) {
            int n = 0;
            while (rs.next()) {
                n++;
                assertEquals(0, rs.getBigDecimal(2).compareTo(rs.getBigDecimal(3)), "invoice " + rs.getString(1));
                assertTrue(rs.getBoolean(4));
            }
            assertEquals(3, n);
        }
        assertEquals(0, new BigDecimal("3590.75").compareTo(new BigDecimal(h.count(
                "SELECT CAST(SUM(billed_cost) * 100 AS BIGINT) FROM ledger_line WHERE invoice_id = '2222333'")).movePointLeft(2)));
    }

    @Test
    void aRerunDownloadsNothingNew() throws Exception {
        stubThreePages();
        assertEquals(0, h.run(FIXTURE_MONTHS).exitCode());
        long fetched = invoiceRequests();

        RunState again = h.run(FIXTURE_MONTHS);

        assertEquals(0, again.getFilesStored());
        assertEquals(3, again.getFilesSkipped());
        assertEquals(fetched, invoiceRequests(), "unchanged invoices are not fetched again");
    }

    @Test
    void rateLimitedRequestsWaitAndRetry() throws Exception {
        stubThreePages();
        h.api.stubFor(get(urlPathEqualTo(LIST + "/2222333")).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Fastly-RateLimit-Reset",
                        Long.toString(java.time.Instant.now().getEpochSecond() + 1))).willSetStateTo("open"));
        h.api.stubFor(get(urlPathEqualTo(LIST + "/2222333")).inScenario("limited").whenScenarioStateIs("open")
                .willReturn(aResponse().withBody(page1.get("data").get(0).toString())));

        RunState report = h.run("2024-10");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        assertEquals(2, h.requests().stream().filter(r -> r.getUrl().equals(LIST + "/2222333")).count());
    }

    @Test
    void monthToDateIsAnEstimateKeptOutOfTheLedgerAndNotReadyIsNoFailure() throws Exception {
        h.set("harvester.fastly.month-to-date", "true").set("harvester.mail.when", "always");
        stubThreePages();
        h.api.stubFor(get(urlPathEqualTo(LIST + "/month-to-date")).willReturn(aResponse()
                .withBody(TestHarvest.resource("/fixtures/fastly/month-to-date.json"))));

        RunState first = h.run("2024-10");
        assertEquals(0, first.exitCode());
        assertEquals(1, h.count("SELECT COUNT(*) FROM fastly_estimate WHERE billing_month = '2024-11' AND amount = 512.75"));
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_invoice WHERE billing_month = '2024-11'"));
        // the estimate states no currency: the account's posted invoices do (USD)
        assertTrue(first.getNotes().toString().contains("512.75 USD so far (the currency of its posted invoices"),
                first.getNotes().toString());

        h.api.stubFor(get(urlPathEqualTo(LIST + "/month-to-date")).willReturn(aResponse().withStatus(422)));
        RunState notReady = h.run("2024-10");
        assertEquals(0, notReady.exitCode(), notReady.getFailures().toString());
        assertTrue(notReady.getNotes().toString().contains("not ready yet (HTTP 422)"), notReady.getNotes().toString());

        h.api.stubFor(get(urlPathEqualTo(LIST + "/month-to-date")).willReturn(aResponse().withStatus(404)));
        RunState none = h.run("2024-10");
        assertEquals(0, none.exitCode(), none.getFailures().toString());
        assertTrue(none.getNotes().toString().contains("no estimate for this account (HTTP 404)"), none.getNotes().toString());
    }

    @Test
    void anEstimateOfAnAccountWithoutPostedInvoicesSaysItsCurrencyIsNotStated() throws Exception {
        h.set("harvester.fastly.month-to-date", "true");
        h.api.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse().withBody("{\"data\": []}")));
        h.api.stubFor(get(urlPathEqualTo(LIST + "/month-to-date")).willReturn(aResponse()
                .withBody(TestHarvest.resource("/fixtures/fastly/month-to-date.json"))));

        RunState run = h.run("2024-10");

        assertEquals(0, run.exitCode(), run.getFailures().toString());
        assertTrue(run.getNotes().toString().contains("512.75 so far (currency not stated"), run.getNotes().toString());
        assertEquals(1, h.count("SELECT COUNT(*) FROM fastly_estimate WHERE currency IS NULL"));
    }
}
