package io.invoiceharvester.ledger.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.OperatorCommandsTest;
import io.invoiceharvester.ledger.table.LedgerLine;
import io.invoiceharvester.model.Invoice;
import io.invoiceharvester.model.InvoiceFile;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layout files are checked when the harvester starts, and a user's file replaces a packaged one of its name. */
class CsvLayoutsTest {

    @TempDir
    Path dir;

    @Test
    void everyProblemOfTheLayoutFilesStopsStartUpNamingFileAndKey() throws Exception {
        Path layouts = Files.createDirectories(dir.resolve("layouts"));
        Files.writeString(layouts.resolve("broken.yaml"), """
                recognise:
                  columns: [A, B]
                date-format: "MM/dd/yyyy QQQQQ p"
                columns:
                  amount: B
                colour: red
                delimiter: ":"
                """);
        Files.writeString(layouts.resolve("unparsable.yaml"), "recognise: [unclosed\n");
        // a copy of the packaged invoice layout under another name: both would recognise Akamai's header
        Files.writeString(layouts.resolve("my-invoice.yaml"), new String(CsvLayouts.class
                .getResourceAsStream("/csv-layouts/akamai-invoice.yaml").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        try (TestHarvest h = new TestHarvest(dir)) {
            h.set("harvester.ledger.csv-layouts", layouts.toString());

            OperatorCommandsTest.Result once = OperatorCommandsTest.cli("once", "--config", h.configFile().toString(),
                    "--month", "2021-01");

            assertEquals(2, once.code(), once.err());
            String err = once.err();
            assertTrue(err.contains("harvester.ledger.csv-layouts: broken.yaml: unknown key 'colour'"), err);
            assertTrue(err.contains("broken.yaml: columns: unknown role 'amount'"), err);
            assertTrue(err.contains("broken.yaml: columns.cost: required"), err);
            assertTrue(err.contains("broken.yaml: date-format: 'MM/dd/yyyy QQQQQ p' is not a date pattern"), err);
            assertTrue(err.contains("unparsable.yaml: line "), err);
            assertTrue(err.contains("broken.yaml: delimiter: ':' is not one ledger-csv reads: a comma, a semicolon, a tab or a pipe"), err);
            assertTrue(err.contains("akamai-invoice.yaml and my-invoice.yaml both recognise the header"), err);
            assertTrue(h.requests().isEmpty(), "nothing was asked of the API");
        }
    }

    /** Files a YAML reader would take silently or die on: each is named, with exit 2, before any call. */
    @Test
    void deepNestingDuplicateKeysASecondDocumentAndYmlFilesAreNamed() throws Exception {
        Path layouts = Files.createDirectories(dir.resolve("layouts"));
        String packaged = new String(CsvLayouts.class.getResourceAsStream("/csv-layouts/akamai-compute.yaml").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(layouts.resolve("nested.yaml"), "recognise: " + "[".repeat(5000) + "\n");
        Files.writeString(layouts.resolve("twice.yaml"), "columns:\n  cost: A\n" + packaged.replace("recognise:", "x-recognise:"));
        Files.writeString(layouts.resolve("two-documents.yaml"), packaged.replace("recognise:", "recognise-not:")
                + "\n---\nrecognise:\n  columns: [X]\n");
        Files.writeString(layouts.resolve("short-name.yml"), packaged);
        try (TestHarvest h = new TestHarvest(dir)) {
            h.set("harvester.ledger.csv-layouts", layouts.toString());

            OperatorCommandsTest.Result once = OperatorCommandsTest.cli("once", "--config", h.configFile().toString(),
                    "--month", "2021-01");

            assertEquals(2, once.code(), once.err());
            String err = once.err();
            assertTrue(err.contains("harvester.ledger.csv-layouts: nested.yaml: "), err);
            assertTrue(err.contains("harvester.ledger.csv-layouts: twice.yaml: ") && err.contains("Duplicate field 'columns'"), err);
            assertTrue(err.contains("harvester.ledger.csv-layouts: two-documents.yaml: ") && err.contains("a second YAML document"), err);
            assertTrue(err.contains("harvester.ledger.csv-layouts: short-name.yml: a layout file is named NAME.yaml"), err);
            assertTrue(!err.contains("NullPointerException") && !err.contains("StackOverflowError"), err);
            assertTrue(h.requests().isEmpty(), "nothing was asked of the API");
        }
    }

    @Test
    void aUsersFileReplacesThePackagedLayoutOfItsNameAndHeadersMatchIgnoringCaseSpacesAndUnderscores() throws Exception {
        Path layouts = Files.createDirectories(dir.resolve("layouts"));
        Files.writeString(layouts.resolve("akamai-compute.yaml"), """
                description: our own reading of COMPUTE files
                recognise:
                  columns: [usage date, service name, cost]
                columns:
                  start-date: Usage Date
                  service: Service Name
                  cost: COST
                """);
        Path csv = Files.writeString(dir.resolve("compute.csv"), "usage_date,SERVICE_NAME,Cost\n2025-02-03,Linode 4GB,0.84\n");
        ListedFile entry = new ListedFile(new Listing("akamai", "2025-02", null), "2025-02",
                new Invoice("A-1", "C-1", "9100000203", "INVOICE", null, "USD"),
                new InvoiceFile("compute.csv", "compute.csv", "1", "COMPUTE", "text/csv", null));

        CsvLayouts loaded = CsvLayouts.load(layouts);

        assertEquals(List.of("akamai-invoice", "akamai-compute"), loaded.names());
        List<LedgerLine> lines;
        try (Stream<LedgerLine> rows = loaded.lines(csv, entry)) {
            lines = rows.toList();
        }
        assertEquals(1, lines.size());
        assertEquals("Linode 4GB", lines.get(0).serviceName());
        assertEquals("USD", lines.get(0).billingCurrency(), "no currency column: the invoice list's currency");
        assertEquals(java.time.LocalDate.of(2025, 2, 4), lines.get(0).chargePeriodEnd(), "a row without an end covers its day");
        // the packaged COMPUTE layout is gone: its header waits for a layout now
        Path packagedShape = Files.writeString(dir.resolve("packaged.csv"),
                "ACCOUNT_ID,INVOICE_ID,USAGE_DATE,SERVICE,REGION,SKU,USAGE_QUANTITY,UNIT,UNIT_PRICE,COST,CURRENCY\n");
        assertThrows(UnmappedLayoutException.class, () -> loaded.lines(packagedShape, entry));
    }
}
