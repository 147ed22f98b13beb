package io.invoiceharvester.ledger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest.StateDb;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.OperatorCommandsTest;
import io.invoiceharvester.model.RunState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What waits on a person fails the run that first meets it, then is listed by `status` and each summary
 * without failing later runs: a listed file the provider does not serve, and a CSV no layout recognises
 * (until a layout file is added: then the next run, or `ledger rebuild`, ingests it from the archive).
 */
class WaitingFilesTest extends HarvestTestSupport {

    static final byte[] PDF = "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    /** A COMPUTE usage file in a shape no packaged layout knows: ';'-separated, decimal commas, Linode's columns. */
    static final String LINODE_CSV = "Label;From;To;Quantity;Unit Price;Amount;Tax;Total;Type;Region\n"
            + "Linode 4GB;2021-01-01T00:00:00;2021-02-01T00:00:00;744;0,036;26,78;5,09;31,87;linode;us-east\n"
            + "Block Storage;2021-01-01T00:00:00;2021-02-01T00:00:00;744;0,0125;9,30;1,77;11,07;volume;us-east\n";
    static final String LINODE_LAYOUT = """
            description: Linode-style cloud computing usage
            recognise:
              columns: [LABEL, FROM, TO, UNIT_PRICE, AMOUNT, TOTAL]
            delimiter: ";"
            date-format: iso
            number:
              decimal-separator: ","
            columns:
              start-date: From
              end-date: To
              service: Label
              description: Label
              quantity: Quantity
              unit-price: unit price
              cost: Amount
              total: Total
              item-type: Type
              region: Region
            constants:
              category-hint: Cloud Computing
            """;


    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aFileTheProviderDoesNotServeIsReportedOnceListedAsWaitingAndTriedAgain(StateDb db) throws Exception {
        on(db);
        h.set("harvester.mail.when", "always");
        h.stubAkamaiFixtures("2021-01", PDF);
        // the invoice's PDF: nothing to download yet; the credit memo's COMPUTE PDF, which the reference
        // says cannot exist: 404; the invoice's CSV: 404 although it may exist, which stays a failure
        h.api.stubFor(get(urlPathEqualTo(TestHarvest.INVOICE_LINK)).withHeader("Accept", equalTo("application/pdf"))
                .willReturn(aResponse().withStatus(204)));
        h.api.stubFor(get(urlPathEqualTo(TestHarvest.CREDIT_MEMO_LINK)).withHeader("Accept", equalTo("application/pdf"))
                .willReturn(aResponse().withStatus(404).withBody(TestHarvest.resource("/fixtures/akamai/problem-404.json"))));
        h.api.stubFor(get(urlPathEqualTo(TestHarvest.INVOICE_LINK)).withHeader("Accept", equalTo("text/csv"))
                .willReturn(aResponse().withStatus(404).withBody(TestHarvest.resource("/fixtures/akamai/problem-404.json"))));
        String cfg = h.configFile().toString();

        RunState first = h.run("2021-01");

        assertEquals(1, first.exitCode());
        String failures = first.getFailures().toString();
        assertEquals(3, first.getFailureCount(), failures);
        assertTrue(failures.contains("not available: the API answered 204"), failures);
        assertTrue(failures.contains("not available: HTTP 404") && failures.contains("COMPUTE data is text/csv only"), failures);
        assertTrue(h.filesUnder(h.out().resolve("quarantine")).isEmpty(), "nothing quarantined");
        long pdfRequests = pdfRequests(h);
        h.clearOutbox();

        RunState second = h.run("2021-01");

        assertEquals(1, second.getFailureCount(), "only the CSV's 404 fails again: " + second.getFailures());
        assertTrue(second.getFailures().get(0).message().startsWith("HTTP 404"), second.getFailures().toString());
        assertEquals(pdfRequests + 2, pdfRequests(h), "both PDFs asked for again");
        String summary = String.join("\n", h.outbox());
        assertTrue(summary.contains("WAITING ON A PERSON (2") && summary.contains("not available: akamai invoice 8234567890"),
                summary);
        JsonNode status = OperatorCommandsTest.cli("status", "--config", cfg, "--json").json();
        assertEquals(2, status.path("waiting").path("unavailableFiles").asInt(), status.toString());
        assertEquals(2, status.path("waitingFiles").size(), status.toString());

        h.stubAkamaiFile(TestHarvest.INVOICE_LINK, "REGULAR", "text/csv", TestHarvest.fixtureCsv("A-CCT7890", "1234567890"));
        assertEquals(0, h.run("2021-01").exitCode(), "what waits fails no later run");

        h.stubAkamaiFile(TestHarvest.INVOICE_LINK, "REGULAR", "application/pdf", PDF);
        RunState served = h.run("2021-01");
        assertEquals(0, served.exitCode());
        assertEquals(1, served.getFilesStored(), "served now: delivered");
        assertEquals(1, h.count("SELECT COUNT(*) FROM unavailable_file"), "and no longer waiting; the COMPUTE PDF still is");
    }

    private static long pdfRequests(TestHarvest h) {
        return h.requests().stream().filter(r -> "application/pdf".equals(r.getHeader("Accept"))).count();
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aCsvNoLayoutRecognisesWaitsAndIsIngestedFromTheArchiveOnceALayoutIsAdded(StateDb db) throws Exception {
        on(db);
        h.set("harvester.mail.when", "always");
        h.stubAkamaiFixtures("2021-01", PDF);
        h.stubAkamaiFile(TestHarvest.CREDIT_MEMO_LINK, "COMPUTE", "text/csv", LINODE_CSV.getBytes(StandardCharsets.UTF_8));
        String cfg = h.configFile().toString();

        RunState first = h.run("2021-01");

        assertEquals(1, first.exitCode());
        String failures = first.getFailures().toString();
        assertEquals(1, first.getFailureCount(), failures);
        assertTrue(failures.contains("no layout") || failures.contains("not recognised by any layout"), failures);
        assertTrue(failures.contains("Label;From;To;Quantity"), "the header is shown: " + failures);
        assertTrue(h.filesUnder(h.out().resolve("quarantine")).isEmpty(), "a ';' CSV waits, it is not quarantined");
        assertEquals(1, h.count("SELECT COUNT(*) FROM harvested_file WHERE invoice_id = '8234567890'"
                + " AND content_type = 'text/csv'"), "archived and recorded: never downloaded again");
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_line WHERE invoice_id = '8234567890'"));
        h.clearOutbox();

        RunState second = h.run("2021-01");
        assertEquals(0, second.exitCode(), "reported once: " + second.getFailures());
        assertTrue(String.join("\n", h.outbox()).contains("no CSV layout: akamai invoice 8234567890"), h.outbox().toString());
        assertEquals(1, OperatorCommandsTest.cli("status", "--config", cfg, "--json").json().path("waiting")
                .path("unmappedCsvs").asInt());

        // a rebuild without a layout empties and refills the waiting list: still reported once
        assertEquals(0, OperatorCommandsTest.cli("ledger", "rebuild", "--config", cfg).code());
        assertEquals(0, h.run("2021-01").exitCode());

        Path layouts = Files.createDirectories(dir.resolve("layouts"));
        Files.writeString(layouts.resolve("linode.yaml"), LINODE_LAYOUT);
        h.set("harvester.ledger.csv-layouts", layouts.toString());
        long downloads = h.requestsTo(TestHarvest.DOWNLOADS);

        RunState mapped = h.run("2021-01");

        assertEquals(0, mapped.exitCode(), mapped.getFailures().toString());
        assertEquals(downloads, h.requestsTo(TestHarvest.DOWNLOADS), "ingested from the archive, not downloaded");
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_unmapped"));
        assertEquals(4, h.count("SELECT COUNT(*) FROM ledger_line WHERE invoice_id = '8234567890'"), "two usage and two tax lines");
        String ledger = Files.readString(h.out().resolve("ledger/2021-01.csv"));
        // the fixture's invoice 8234567890 is a credit memo: its lines are negative
        assertTrue(ledger.contains(",Linode 4GB,") && ledger.contains(",-26.78,") && ledger.contains(",-5.09,"), ledger);
        assertTrue(ledger.contains("2021-01-01T00:00:00Z,2021-02-01T00:00:00Z"), ledger);
        assertFalse(OperatorCommandsTest.cli("status", "--config", h.configFile().toString(), "--json").json()
                .path("waitingFiles").toString().contains("8234567890"));
    }
}
