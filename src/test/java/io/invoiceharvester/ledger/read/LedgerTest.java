package io.invoiceharvester.ledger.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.ledger.export.FocusColumns;
import io.invoiceharvester.ledger.export.LedgerExport;
import io.invoiceharvester.ledger.table.Ledger;
import io.invoiceharvester.ledger.table.LedgerFigures;
import io.invoiceharvester.ledger.table.LedgerLine;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.Invoice;
import io.invoiceharvester.model.InvoiceFile;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.state.StateDatabase;
import io.invoiceharvester.values.Amounts;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shared fixtures into FOCUS rows; versions replace; credit memos negative; sums exact. */
class LedgerTest {

    static final String HEADER = "ACCOUNT_ID,ACCOUNT_NAME,INVOICE_START_DATE,INVOICE_ID,ITEM_START_DATE,ITEM_END_DATE,"
            + "UNIT_MEASURE,PRODUCT_LINE,PRODUCT,PRODUCT_ID,ITEMTYPE,ITEM_DESC,ITEM_SPEC,CUST_CURRENCY,ITEM_CURRENCY,"
            + "ITEM_UNITS,CUST_UNIT_PRICE,ITEM_UNIT_PRICE,CUST_TOTAL_SERVICES,ITEM_TOTAL_SERVICES,CUST_TAXES,CUST_TOTAL,"
            + "ITEM_TOTAL,ORDER_ID,EFFECTIVE_END_DATE,PARTNER_PROVIDED_IDENTIFIER";

    static final CsvLayouts LAYOUTS = CsvLayouts.load(null);

    @TempDir
    Path dir;
    StateDatabase db;
    Ledger ledger;
    LedgerFigures figures;
    LedgerExport export;

    @BeforeEach
    void open() {
        db = StateDatabase.open("jdbc:h2:file:" + dir.resolve("state"), "sa", "");
        ledger = new Ledger(db.dataSource());
        figures = new LedgerFigures(db.dataSource());
        export = new LedgerExport(db.dataSource(), dir.resolve("out"), List.of("csv"), () -> { });
    }

    @AfterEach
    void close() {
        db.close();
    }

    static ListedFile task(String invoiceId, String type, String version, String contentType, String total) {
        return new ListedFile(new Listing("akamai", "2021-01", null), "2021-01",
                new Invoice("A-CCT7890", "C-0N7RAC7", invoiceId, type, total == null ? null : new BigDecimal(total), "USD"),
                new InvoiceFile("f." + (contentType.endsWith("csv") ? "csv" : "json"), invoiceId + "_" + version + ".csv", version, "REGULAR",
                        contentType, "/link"));
    }

    /** Invoice 2222333 of the Fastly fixture. */
    static ListedFile fastlyTask() {
        return new ListedFile(new Listing("fastly", "2024-10", null), "2024-10",
                new Invoice("x4xCwxxJxGCx123Rx5xTx", "-", "2222333", "INVOICE", null, "USD"),
                new InvoiceFile("invoice-2222333.json", "invoice-2222333.json", "v", "BILLING_V3", "application/json", null));
    }

    static Iterator<List<String>> records(String csv) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (Reader r = new StringReader(csv); CSVParser p = CSVParser.parse(r, CSVFormat.DEFAULT)) {
            for (CSVRecord rec : p) {
                rows.add(rec.toList());
            }
        }
        return rows.iterator();
    }

    static String row(String desc, String services, String total, String currency) {
        return "A-CCT7890,Main Street Corporation,02/01/2021,1234567890,01/01/2021,01/31/2021,GB,Cache,Cache control,9-8ZYX76,U,"
                + desc + ",Committed,," + currency + ",1,,0.01,," + services + ",0,," + total + ",1-23ABC4,01/31/2022,1234567890";
    }

    /** The CSV's rows (in the fixture's shape) into the ledger as the file of {@code f}, stated for its invoice. */
    Ledger.Outcome ingestCsv(ListedFile f, String csv, String runId) throws Exception {
        String stated = csv.replace(",02/01/2021,1234567890,", ",02/01/2021," + f.getInvoiceId() + ",");
        try (Stream<LedgerLine> lines = LAYOUTS.lines(file(stated), f)) {
            return ledger.ingest(f, "csv", lines.iterator(), runId);
        }
    }

    /** The text as a file of its own, as the archive holds a CSV. */
    Path file(String csv) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "ledger-", ".csv"), csv);
    }

    List<Map<String, String>> exported() throws Exception {
        export.exportMonth(YearMonth.of(2021, 1));
        Path file = export.csvFile(YearMonth.of(2021, 1));
        List<Map<String, String>> out = new ArrayList<>();
        try (CSVParser p = CSVParser.parse(file, StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            assertEquals(FocusColumns.names(), p.getHeaderNames());
            for (CSVRecord r : p) {
                out.add(new LinkedHashMap<>(r.toMap()));
            }
        }
        return out;
    }

    BigDecimal sum(String invoiceId) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT SUM(billed_cost) FROM ledger_line WHERE invoice_id = ?")) {
            ps.setString(1, invoiceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }

    @Test
    void theFixtureCsvBecomesAUsageRowAndATaxRowInFocusColumns() throws Exception {
        String csv = Files.readString(Path.of("src/test/resources/fixtures/akamai/invoice-download.csv"));
        ingestCsv(task("1234567890", "INVOICE", "1", "text/csv", "50000.42"), csv, "run-1");

        List<Map<String, String>> rows = exported();
        assertEquals(2, rows.size());
        Map<String, String> usage = rows.get(0);
        assertEquals("A-CCT7890", usage.get("BillingAccountId"));
        assertEquals("Main Street Corporation", usage.get("BillingAccountName"));
        assertEquals("1234567890", usage.get("InvoiceId"));
        assertEquals("Akamai", usage.get("ProviderName"));
        assertEquals("Akamai", usage.get("InvoiceIssuerName"), "Akamai bills directly: one name");
        assertEquals("Akamai", usage.get("PublisherName"));
        assertEquals("2021-01-01T00:00:00Z", usage.get("BillingPeriodStart"));
        assertEquals("2021-02-01T00:00:00Z", usage.get("BillingPeriodEnd"), "the period end is exclusive");
        assertEquals("2021-01-01T00:00:00Z", usage.get("ChargePeriodStart"));
        assertEquals("2021-02-01T00:00:00Z", usage.get("ChargePeriodEnd"));
        assertEquals("Usage", usage.get("ChargeCategory"));
        assertEquals("Usage-Based", usage.get("ChargeFrequency"));
        assertEquals("Standard", usage.get("PricingCategory"));
        assertEquals("Advanced Cache Control", usage.get("ChargeDescription"));
        assertEquals("Cache control", usage.get("ServiceName"));
        assertEquals("1.0", usage.get("PricingQuantity"));
        assertEquals("GB", usage.get("PricingUnit"));
        assertEquals("0.01", usage.get("ContractedUnitPrice"), "the invoice's rate is the customer's contracted rate");
        assertEquals("1.0", usage.get("ConsumedQuantity"));
        assertEquals("GB", usage.get("ConsumedUnit"));
        assertEquals("0.01", usage.get("ContractedCost"), "rate x quantity");
        assertEquals("0.01", usage.get("ListCost"), "no list price is published: the contracted cost");
        assertEquals("0.02", usage.get("EffectiveCost"));
        assertEquals("0.02", usage.get("BilledCost"));
        assertEquals("USD", usage.get("BillingCurrency"));
        assertEquals("9-8ZYX76", usage.get("SkuId"));
        assertEquals("REGULAR", usage.get("x_SourceType"));
        assertEquals("1", usage.get("x_FileVersion"));
        assertEquals("U", usage.get("x_ItemType"));
        Map<String, String> tax = rows.get(1);
        assertEquals("Tax", tax.get("ChargeCategory"));
        assertEquals("0.01", tax.get("BilledCost"), "usage + tax = ITEM_TOTAL 0.03");
        assertEquals("", tax.get("SkuId"), "no SKU on a Tax row");
        assertEquals("", tax.get("PricingQuantity"));
        assertEquals("0.01", tax.get("EffectiveCost"));
        assertEquals(0, new BigDecimal("0.03").compareTo(sum("1234567890")));
        assertEquals(List.of("invoice 1234567890: lines sum to 0.03 USD, invoice total is 50000.42 USD (difference -50000.39)"),
                figures.reconciliationFlags("akamai", "A-CCT7890", YearMonth.of(2021, 1)));
    }

    @Test
    void theFixtureJsonGivesTheSameShapeOfRows() throws Exception {
        ListedFile json = task("1234567890", "INVOICE", "1", "application/json", "0.03");
        json.setStored(Path.of("src/test/resources/fixtures/akamai/invoice-download.json"));
        ledger.ingest(json, "json", AkamaiJsonNormalizer.lines(json.getStored(), json).iterator(), "run-1");

        List<Map<String, String>> rows = exported();
        assertEquals(2, rows.size());
        assertEquals("Access Control", rows.get(0).get("ServiceName"));
        assertEquals("", rows.get(0).get("SubAccountId"), "the end customer is the billed account itself");
        assertEquals("Main Street Corporation", rows.get(0).get("BillingAccountName"));
        assertEquals("0.02", rows.get(0).get("BilledCost"));
        assertEquals("0.01", rows.get(1).get("BilledCost"));
        assertTrue(figures.reconciliationFlags("akamai", "A-CCT7890", YearMonth.of(2021, 1)).isEmpty());
    }

    @Test
    void theCsvIsTheSourceWhenAnInvoiceHasBoth() throws Exception {
        ListedFile json = task("1234567890", "INVOICE", "1", "application/json", "0.03");
        json.setStored(Path.of("src/test/resources/fixtures/akamai/invoice-download.json"));
        String csv = Files.readString(Path.of("src/test/resources/fixtures/akamai/invoice-download.csv"));

        assertEquals(Ledger.Outcome.INGESTED, ledger.ingest(json, "json", AkamaiJsonNormalizer.lines(json.getStored(), json).iterator(), "r"));
        assertEquals(Ledger.Outcome.REPLACED, ingestCsv(task("1234567890", "INVOICE", "1", "text/csv", "0.03"), csv, "r"));
        assertEquals(Ledger.Outcome.SUPERSEDED, ledger.ingest(json, "json", AkamaiJsonNormalizer.lines(json.getStored(), json).iterator(), "r"));

        List<Map<String, String>> rows = exported();
        assertEquals(2, rows.size(), "counted once");
        assertEquals("Cache control", rows.get(0).get("ServiceName"), "the CSV's lines");
    }

    @Test
    void aNewFileVersionReplacesTheOldLinesNeverAddsToThem() throws Exception {
        ingestCsv(task("555", "INVOICE", "1", "text/csv", "10.00"), HEADER + "\n" + row("first", "10.00", "10.00", "USD"), "r1");
        ingestCsv(task("555", "INVOICE", "2", "text/csv", "12.50"), HEADER + "\n" + row("reissued", "12.50", "12.50", "USD"), "r2");
        assertEquals(Ledger.Outcome.SUPERSEDED, ingestCsv(task("555", "INVOICE", "1", "text/csv", "10.00"), HEADER + "\n" + row("first", "10.00", "10.00", "USD"), "r3"));

        assertEquals(0, new BigDecimal("12.50").compareTo(sum("555")));
        List<Map<String, String>> rows = exported();
        assertEquals(1, rows.size());
        assertEquals("2", rows.get(0).get("x_FileVersion"));
    }

    @Test
    void aCreditMemoIsNegativeWithChargeClassCorrection() throws Exception {
        ingestCsv(task("777", "CREDIT_MEMO", "1", "text/csv", "-20.40"), HEADER + "\n" + row("credit", "20.00", "20.40", "USD"), "r");

        List<Map<String, String>> rows = exported();
        assertEquals(List.of("-20.00", "-0.40"), rows.stream().map(r -> r.get("BilledCost")).toList());
        assertEquals(List.of("Usage", "Tax"), rows.stream().map(r -> r.get("ChargeCategory")).toList(),
                "a correction keeps the category of what it corrects");
        assertTrue(rows.stream().allMatch(r -> r.get("ChargeClass").equals("Correction")));
        assertEquals("-1.0", rows.get(0).get("PricingQuantity"), "cost = rate x quantity still holds");
        assertEquals("-0.01", rows.get(0).get("ContractedCost"));
        assertTrue(figures.reconciliationFlags("akamai", "A-CCT7890", YearMonth.of(2021, 1)).isEmpty());
    }

    @Test
    void sumsAreExactToTheCent() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 10; i++) {
            csv.append('\n').append(row("tenth " + i, "0.10", "0.10", "USD"));
        }
        csv.append('\n').append(row("a fifth", "0.20", "0.20", "USD"));
        ingestCsv(task("888", "INVOICE", "1", "text/csv", "1.20"), csv.toString(), "r");

        assertEquals("1.20", Amounts.money(sum("888")));
        assertTrue(figures.reconciliationFlags("akamai", "A-CCT7890", YearMonth.of(2021, 1)).isEmpty(),
                "ten times 0.10 plus 0.20 is exactly 1.20 (in floating point it is not)");
        assertEquals("USD", figures.totals("akamai", "A-CCT7890", YearMonth.of(2021, 1)).keySet().iterator().next());
    }

    @Test
    void aUtf8BomBeforeTheHeaderIsTolerated() throws Exception {
        ingestCsv(task("999", "INVOICE", "1", "text/csv", "1.00"), "\uFEFF" + HEADER + "\n" + row("bom", "1.00", "1.00", "USD"), "r");
        assertEquals(1, exported().size());
    }

    @Test
    void unknownColumnsAreKeptAsProvenance() throws Exception {
        ingestCsv(task("321", "INVOICE", "1", "text/csv", "1.00"), HEADER + ",NEW_COLUMN\n" + row("x", "1.00", "1.00", "USD") + ",kept", "r");
        try (Connection c = db.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT source_columns FROM ledger_line WHERE invoice_id = '321'")) {
            rs.next();
            assertEquals("{\"NEW_COLUMN\":\"kept\"}", rs.getString(1));
        }
    }

    private InvalidContentException badFile(String csv) throws Exception {
        InvalidContentException e = assertThrows(InvalidContentException.class,
                () -> ingestCsv(task("444", "INVOICE", "1", "text/csv", "1.00"), csv, "r"));
        assertNull(sum("444"), "nothing half-written for that invoice");
        return e;
    }

    @Test
    void badCsvContentNamesRowAndColumnAndWritesNothing() throws Exception {
        String good = row("ok", "1.00", "1.00", "USD");
        assertEquals("row 3: 5 columns where the header has 26",
                badFile(HEADER + "\n" + good + "\nA,B,C,D,E").getMessage());
        assertEquals("row 3, column ITEM_TOTAL: '1,5O' is not a number",
                badFile(HEADER + "\n" + good + "\n" + row("bad", "1.00", "\"1,5O\"", "USD")).getMessage());
        assertEquals("row 2, column ITEM_CURRENCY: 'XYZ' is not an ISO 4217 currency",
                badFile(HEADER + "\n" + row("bad", "1.00", "1.00", "XYZ")).getMessage());
        assertTrue(badFile("2021-01-01,12.50,USD\n2021-01-02,13.00,USD").getMessage().startsWith("row 1: no recognizable CSV header"));
    }

    /** Ten characters that parse at once but take minutes or all memory to add or print: refused where read. */
    @Test
    void hostileNumbersAreRefusedWithAReasonInEveryFormat() throws Exception {
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            assertTrue(badFile(HEADER + "\n" + row("huge", "0.02", "1e999999999", "USD")).getMessage()
                    .startsWith("row 2, column ITEM_TOTAL: '1E+999999999' is out of range"));
            assertTrue(badFile(HEADER + "\n" + row("tiny", "1e-999999999", "0.03", "USD")).getMessage()
                    .contains("is out of range (more than 18 decimals)"));
            Path json = dir.resolve("huge.json");
            Files.writeString(json, Files.readString(Path.of("src/test/resources/fixtures/akamai/invoice-download.json"))
                    .replace("\"ITEM_TOTAL\": 0.03", "\"ITEM_TOTAL\": 1e999999999"));
            ListedFile entry = task("1234567890", "INVOICE", "1", "application/json", "0.03");
            InvalidContentException e = assertThrows(InvalidContentException.class, () -> AkamaiJsonNormalizer.lines(json, entry));
            assertTrue(e.getMessage().contains("ITEM_TOTAL: '1E+999999999' is out of range"), e.getMessage());
            Path fastly = dir.resolve("fastly.json");
            Files.writeString(fastly, Files.readString(Path.of("src/test/resources/fixtures/fastly/invoice-2222333.json"))
                    .replace("\"amount\": 1200.0", "\"amount\": \"9e99999\""));
            e = assertThrows(InvalidContentException.class, () -> FastlyNormalizer.lines(fastly, fastlyTask()));
            assertTrue(e.getMessage().contains("amount: '9E+99999' is out of range"), e.getMessage());
        });
    }

    @Test
    void aJsonInvoiceLargerThanAnInvoiceCanBeIsNotReadIntoMemory() throws Exception {
        Path json = dir.resolve("padded.json");
        String fixture = Files.readString(Path.of("src/test/resources/fixtures/akamai/invoice-download.json"));
        Files.writeString(json, fixture.replaceFirst("\\{", "{" + " ".repeat(33 * 1024 * 1024)));
        ListedFile entry = task("1234567890", "INVOICE", "1", "application/json", "0.03");
        InvalidContentException e = assertThrows(InvalidContentException.class, () -> AkamaiJsonNormalizer.lines(json, entry));
        assertTrue(e.getMessage().contains("larger than 32 MiB"), e.getMessage());
        assertThrows(InvalidContentException.class, () -> FastlyNormalizer.lines(json, fastlyTask()));
    }

    @Test
    void aHeaderNoMappingKnowsIsUnmappedNotBroken() throws Exception {
        ListedFile entry = task("1", "INVOICE", "1", "text/csv", null);
        Path csv = file("FOO,BAR,BAZ\n1,2,3");
        assertThrows(UnmappedLayoutException.class, () -> LAYOUTS.lines(csv, entry));
    }

    @Test
    void anUnmappedFileIsRecordedOnceAndARefusedRecordIsAFailure() throws Exception {
        ListedFile csv = task("1234567890", "INVOICE", "1", "text/csv", "1.00");
        ledger.recordUnmapped(csv, "A,B");
        ledger.recordUnmapped(csv, "A,B");
        assertEquals(1, ledger.unreportedUnmapped("r").size());

        // no header to show: the database refuses the row (NOT NULL), which must not pass as "recorded already"
        ListedFile other = task("1234567891", "INVOICE", "1", "text/csv", "1.00");
        assertThrows(java.sql.SQLException.class, () -> ledger.recordUnmapped(other, null));
    }

    @Test
    void aNulInACellIsInvalidContentNamingRowAndColumn() throws Exception {
        InvalidContentException e = badFile(HEADER + "\n" + row("nul\u0000here", "1.00", "1.00", "USD"));
        assertTrue(e.getMessage().startsWith("row 2, column ITEM_DESC: contains a NUL character"), e.getMessage());
    }

    /** A value the database refuses (SQLState class 22) is a content failure of the file, not a failure of every run. */
    @Test
    void aValueTheDatabaseRefusesIsAContentFailureOfTheFile() throws Exception {
        Charge c = new Charge("Akamai");
        c.amount = new BigDecimal("1.00");
        c.currency = "EURO"; // no ISO code reaches here through a normalizer: the database's own check is what is tested
        c.start = java.time.LocalDate.of(2021, 1, 1);
        ListedFile f = task("666", "INVOICE", "1", "text/csv", "1.00");

        InvalidContentException e = assertThrows(InvalidContentException.class,
                () -> ledger.ingest(f, "csv", List.of(c.usage(Charge.USAGE_BASED)).iterator(), "r"));

        assertTrue(e.getMessage().startsWith("the state database refuses a value of this file: "), e.getMessage());
        assertNull(sum("666"), "nothing written");
    }

    /** A line without a name shows its account's name from the other files: when that name changes, every month showing it is exported again. */
    @Test
    void aChangedAccountNameMarksEveryMonthThatShowsTheAccount() throws Exception {
        ListedFile january = task("1001", "INVOICE", "1", "text/csv", "0.03");
        ingestCsv(january, Files.readString(Path.of("src/test/resources/fixtures/akamai/invoice-download.csv"))
                .replace("Main Street Corporation", "Acme"), "r1");
        for (YearMonth month : export.pendingMonths()) {
            export.exportMonth(month);
        }
        assertTrue(export.pendingMonths().isEmpty());
        ListedFile february = new ListedFile(new Listing("akamai", "2021-02", null), "2021-02",
                new Invoice("A-CCT7890", "C-0N7RAC7", "1002", "INVOICE", new BigDecimal("0.03"), "USD"),
                new InvoiceFile("f.csv", "1002_1.csv", "1", "REGULAR", "text/csv", "/link"));

        ingestCsv(february, Files.readString(Path.of("src/test/resources/fixtures/akamai/invoice-download.csv"))
                .replace("Main Street Corporation", "Zeta Holdings"), "r2");

        assertEquals(List.of(YearMonth.of(2021, 1), YearMonth.of(2021, 2)), export.pendingMonths(),
                "January shows the account too, under its new name");
    }

    /** The lines' names are kept while they stream; with several, the greatest is still the account's name, whatever their order. */
    @ParameterizedTest
    @CsvSource({"Acme|Main Street Corporation, Main Street Corporation", "Zeta Holdings|Acme, Zeta Holdings",
        "Beta|Gamma|Acme, Gamma"})
    void ofSeveralNamesInOneFileTheGreatestIsTheAccountsName(String names, String greatest) throws Exception {
        List<LedgerLine> lines = new ArrayList<>();
        for (String name : names.split("\\|")) {
            Charge c = new Charge("Akamai");
            c.accountName = name;
            c.amount = new BigDecimal("1.00");
            c.currency = "USD";
            c.start = java.time.LocalDate.of(2021, 1, 1);
            lines.add(c.usage(Charge.USAGE_BASED));
        }
        ledger.ingest(task("777", "INVOICE", "1", "text/csv", names.split("\\|").length + ".00"), "csv", lines.iterator(), "r");

        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT account_name FROM ledger_account WHERE account_id = 'A-CCT7890'"); ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(greatest, rs.getString(1));
        }
        assertTrue(figures.reconciliationFlags("akamai", "A-CCT7890", YearMonth.of(2021, 1)).isEmpty(),
                "the lines summed while streaming match the total");
    }
}
