package io.invoiceharvester.ledger.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.HarvesterCommand;
import io.invoiceharvester.sandbox.Sandbox;
import io.invoiceharvester.sandbox.SandboxData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real harvest of the sandbox (both providers, a credit memo, a re-issued version, a COMPUTE CSV and a
 * Fastly credit) checked against the FOCUS 1.2 rules the ledger relies on, row by row, in CSV and in
 * Parquet (read back by DuckDB, an independent reader); then rebuilt from the archive, byte for byte.
 */
public class FocusLedgerTest {

    static final List<String> CATEGORIES = List.of("Usage", "Purchase", "Tax", "Credit", "Adjustment");
    static final List<String> FREQUENCIES = List.of("One-Time", "Recurring", "Usage-Based");
    static final List<String> PRICING_CATEGORIES = List.of("Standard", "Dynamic", "Committed", "Other");
    static final List<String> DATETIMES = List.of("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd");
    static final List<String> AMOUNTS = List.of("PricingQuantity", "ContractedUnitPrice", "ConsumedQuantity", "ListCost",
            "ContractedCost", "EffectiveCost", "BilledCost", "PricingCurrencyContractedUnitPrice", "PricingCurrencyEffectiveCost");
    static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    // FOCUS UnitFormat: data sizes, time units, count words; a leading quantity; -TimeUnits; /TimeUnit
    static final String SIZE = "(?:[KMGTPE]i?[bB]|b|B)";
    static final String COUNT = "[A-Za-z][A-Za-z0-9]*(?: [A-Za-z][A-Za-z0-9]*)*";
    public static final Pattern UNIT = Pattern.compile("(?:[0-9]+ )?(?:" + SIZE + "|" + COUNT + ")"
            + "(?:-(?:Years|Months|Days|Hours|Minutes|Seconds)|/(?:Year|Month|Day|Hour|Minute|Second))?");

    @TempDir
    Path dir;

    public static Set<String> allowedServices() throws IOException {
        Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/focus/service-subcategories.csv"))) {
            if (!line.startsWith("#")) {
                out.add(line);
            }
        }
        return out;
    }

    static List<Map<String, String>> csvRows(Path file) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (CSVParser p = CSVParser.parse(file, StandardCharsets.UTF_8,
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            assertEquals(FocusColumns.names(), p.getHeaderNames(), "columns and their order");
            for (CSVRecord r : p) {
                rows.add(new LinkedHashMap<>(r.toMap()));
            }
        }
        return rows;
    }

    static BigDecimal amount(Map<String, String> row, String column) {
        String v = row.get(column);
        return v == null || v.isEmpty() ? null : new BigDecimal(v);
    }

    /** The FOCUS 1.2 rules the ledger relies on, each row on its own. */
    static void assertFocusRow(Map<String, String> r, Set<String> services) {
        String where = r.get("InvoiceId") + " " + r.get("ChargeDescription") + " (" + r.get("ChargeCategory") + ")";
        for (String c : DATETIMES) {
            assertTrue(DATETIME.matcher(r.get(c)).matches(), where + ": " + c + " " + r.get(c));
        }
        assertTrue(Instant.parse(r.get("ChargePeriodStart")).isBefore(Instant.parse(r.get("ChargePeriodEnd"))), where);
        assertTrue(Instant.parse(r.get("BillingPeriodStart")).isBefore(Instant.parse(r.get("BillingPeriodEnd"))), where);
        for (String c : List.of("BillingAccountId", "BillingAccountName", "InvoiceId", "ServiceName", "ChargeDescription")) {
            assertFalse(r.get(c).isBlank(), where + ": " + c + " is empty");
        }
        if (!r.get("SubAccountId").isEmpty()) {
            assertFalse(r.get("SubAccountName").isEmpty(), where + ": a sub account has a name");
        }
        assertTrue(List.of("Akamai", "Fastly").contains(r.get("ProviderName")), where);
        assertEquals(r.get("ProviderName"), r.get("PublisherName"), where + ": billed directly");
        assertEquals(r.get("ProviderName"), r.get("InvoiceIssuerName"), where + ": billed directly");
        assertTrue(CATEGORIES.contains(r.get("ChargeCategory")), where);
        assertTrue(List.of("", "Correction").contains(r.get("ChargeClass")), where);
        assertTrue(FREQUENCIES.contains(r.get("ChargeFrequency")), where);
        assertTrue(services.contains(r.get("ServiceCategory") + "," + r.get("ServiceSubcategory")),
                where + ": " + r.get("ServiceCategory") + " / " + r.get("ServiceSubcategory"));
        assertTrue(r.get("BillingCurrency").matches("[A-Z]{3}"), where);
        for (String c : AMOUNTS) {
            String v = r.get(c);
            // a decimal point on every value, so that type-inferring readers read the column as decimal every month
            assertTrue(v.isEmpty() || v.matches("-?\\d+\\.\\d+"), where + ": " + c + " '" + v + "' is a plain decimal with a point");
        }
        for (String c : List.of("ListCost", "ContractedCost", "EffectiveCost", "BilledCost")) {
            assertFalse(r.get(c).isEmpty(), where + ": " + c + " is mandatory");
        }
        for (String c : List.of("PricingUnit", "ConsumedUnit")) {
            String v = r.get(c);
            assertTrue(v.isEmpty() || UNIT.matcher(v).matches(), where + ": " + c + " '" + v + "' is in UnitFormat");
        }
        assertEquals(r.get("PricingQuantity").isEmpty(), r.get("PricingUnit").isEmpty(), where + ": quantity with unit");
        assertEquals(r.get("ConsumedQuantity").isEmpty(), r.get("ConsumedUnit").isEmpty(), where + ": quantity with unit");
        String category = r.get("ChargeCategory");
        if (category.equals("Tax") || category.equals("Credit")) {
            assertEquals("", r.get("SkuId"), where + ": no SKU on Tax and Credit rows");
            assertEquals("", r.get("PricingQuantity"), where);
            assertEquals("", r.get("PricingCategory"), where);
        }
        if (category.equals("Usage")) {
            for (String c : List.of("PricingQuantity", "PricingUnit", "ConsumedQuantity", "ConsumedUnit", "PricingCategory")) {
                assertFalse(r.get(c).isEmpty(), where + ": " + c + " on a Usage row");
            }
            assertTrue(PRICING_CATEGORIES.contains(r.get("PricingCategory")), where);
        }
        if (category.equals("Purchase")) {
            assertFalse(r.get("ChargeFrequency").equals("Usage-Based"), where);
        }
        assertEquals(0, amount(r, "ListCost").compareTo(amount(r, "ContractedCost")), where + ": no list price but the contracted one");
        assertEquals(0, amount(r, "EffectiveCost").compareTo(amount(r, "BilledCost")), where + ": nothing amortized");
        assertEquals(r.get("BillingCurrency"), r.get("PricingCurrency"), where + ": priced in the currency billed");
        assertEquals(r.get("ContractedUnitPrice"), r.get("PricingCurrencyContractedUnitPrice"), where);
        assertEquals(r.get("EffectiveCost"), r.get("PricingCurrencyEffectiveCost"), where);
        BigDecimal price = amount(r, "ContractedUnitPrice");
        BigDecimal quantity = amount(r, "PricingQuantity");
        if (price != null && quantity != null) {
            assertEquals(0, price.multiply(quantity).compareTo(amount(r, "ContractedCost")),
                    where + ": ContractedCost = ContractedUnitPrice x PricingQuantity");
        }
    }

    private static int cli(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        int code = HarvesterCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        out.append(err.toString());
        return code;
    }

    private Path harvest(Sandbox sandbox, Map<String, String> extra) throws IOException {
        Path token = dir.resolve("fastly-token");
        Files.writeString(token, sandbox.fastlyToken());
        Map<String, String> settings = new LinkedHashMap<>(extra);
        settings.put("harvester.fastly.enabled", "true");
        settings.put("harvester.fastly.base-url", sandbox.baseUrl());
        settings.put("harvester.fastly.api-token-file", token.toString());
        settings.put("harvester.ledger.formats", "csv,parquet");
        Path config = TestHarvest.sandboxConfig(sandbox, dir, settings);
        StringWriter out = new StringWriter();
        assertEquals(0, cli(out, "once", "--config", config.toString(), "--from", SandboxData.MONTHS.get(0).toString(),
                "--to", SandboxData.MONTHS.get(SandboxData.MONTHS.size() - 1).toString()), out.toString());
        return config;
    }

    private List<Path> ledgerFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("out/ledger"))) {
            return s.sorted().toList();
        }
    }

    @Test
    void everyRowOfBothProvidersFollowsTheFocusRulesInCsvAndParquet() throws Exception {
        Set<String> services = allowedServices();
        try (Sandbox sandbox = Sandbox.start(0)) {
            harvest(sandbox, Map.of());
        }
        List<Path> files = ledgerFiles();
        assertEquals(List.of("2025-01.csv", "2025-01.parquet", "2025-02.csv", "2025-02.parquet", "focus-metadata.json"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        String schemaId = assertFocusMetadata(dir.resolve("out/ledger/focus-metadata.json"));
        assertTrue(FocusMetadata.CREATED.containsKey(schemaId), "the current schema's creation date is pinned beside its id");
        List<Map<String, String>> all = new ArrayList<>();
        for (Path csv : files.stream().filter(p -> p.toString().endsWith(".csv")).toList()) {
            List<Map<String, String>> rows = csvRows(csv);
            rows.forEach(r -> assertFocusRow(r, services));
            Path parquet = Path.of(csv.toString().replace(".csv", ".parquet"));
            assertEquals(rows, parquetRows(parquet), csv.getFileName() + ": the Parquet file holds the same rows");
            assertEquals(Map.of("focus.schema_id", schemaId, "focus.version", "1.2", "focus.metadata", "focus-metadata.json"),
                    parquetKeyValues(parquet), parquet.getFileName() + " names its schema without its rows being read");
            assertEquals(new TreeSet<>(DATETIMES), columnsWithMinAndMax(parquet),
                    parquet.getFileName() + ": minimum and maximum for the datetimes, by which a reader skips a month");
            all.addAll(rows);
        }
        // the harvest holds every kind of charge the rules above are about
        assertTrue(all.stream().anyMatch(r -> r.get("ProviderName").equals("Fastly") && r.get("ChargeCategory").equals("Credit")));
        assertTrue(all.stream().anyMatch(r -> r.get("ChargeClass").equals("Correction") && r.get("BilledCost").startsWith("-")));
        assertTrue(all.stream().anyMatch(r -> r.get("ChargeCategory").equals("Tax")));
        assertTrue(all.stream().anyMatch(r -> r.get("x_SourceType").equals("COMPUTE")));
        assertTrue(all.stream().anyMatch(r -> r.get("x_FileVersion").equals("2")), "a re-issued version");
        assertTrue(all.stream().anyMatch(r -> r.get("ChargeFrequency").equals("Recurring")));
    }

    @Test
    void aChangedColumnOrTypeGetsANewSchemaIdAndTheSameColumnsTheSameOne() throws Exception {
        java.util.function.Supplier<List<Map<String, Object>>> copy = () -> {
            List<Map<String, Object>> columns = new ArrayList<>();
            columns.add(new LinkedHashMap<>(Map.of("ColumnName", "BilledCost", "DataType", "DECIMAL", "NumericPrecision", 38)));
            columns.add(new LinkedHashMap<>(Map.of("ColumnName", "InvoiceId", "DataType", "STRING", "StringMaxLength", 64)));
            return columns;
        };
        String id = new FocusMetadata(copy.get()).schemaId();
        assertEquals(id, new FocusMetadata(copy.get()).schemaId(), "derived from the content alone");
        List<Map<String, Object>> wider = copy.get();
        wider.get(1).put("StringMaxLength", 128);
        assertFalse(id.equals(new FocusMetadata(wider).schemaId()), "a changed column definition");
        List<Map<String, Object>> more = copy.get();
        more.add(Map.of("ColumnName", "PricingCurrency", "DataType", "STRING"));
        assertFalse(id.equals(new FocusMetadata(more).schemaId()), "an added column");
    }

    /**
     * What FOCUS 1.2's metadata section requires (specification/metadata/ at v1.2): DataGenerator; a Schema
     * with SchemaId, FocusVersion, CreationDate and a ColumnDefinition per column (ColumnName and DataType,
     * precision and scale for decimals, encoding and maximum length for strings), none of them null.
     * Returns the schema id.
     */
    public static String assertFocusMetadata(Path file) throws IOException {
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        assertTrue(doc.path("DataGenerator").isTextual() && !doc.path("DataGenerator").asText().isBlank(), "DataGenerator");
        com.fasterxml.jackson.databind.JsonNode schema = doc.path("Schema");
        String id = schema.path("SchemaId").asText();
        assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "SchemaId is a GUID: " + id);
        assertEquals("1.2", schema.path("FocusVersion").asText(), "a published FOCUS version");
        assertTrue(DATETIME.matcher(schema.path("CreationDate").asText()).matches(), "CreationDate in FOCUS DateTimeFormat");
        assertTrue(schema.path("DataGeneratorVersion").isTextual(), "DataGeneratorVersion is a string");
        List<String> names = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode c : schema.path("ColumnDefinition")) {
            String name = c.path("ColumnName").asText();
            names.add(name);
            String type = c.path("DataType").asText();
            String expected = DATETIMES.contains(name) ? "DATETIME" : AMOUNTS.contains(name) ? "DECIMAL" : "STRING";
            assertEquals(expected, type, name);
            if (type.equals("DECIMAL")) {
                assertEquals(38, c.path("NumericPrecision").asInt(), name);
                assertEquals(18, c.path("NumberScale").asInt(), name);
            }
            if (type.equals("STRING")) {
                assertEquals("UTF-8", c.path("StringEncoding").asText(), name);
                assertTrue(c.path("StringMaxLength").isInt() && c.path("StringMaxLength").asInt() > 0, name);
            }
            c.fields().forEachRemaining(f -> assertFalse(f.getValue().isNull(), name + "." + f.getKey() + " is not null"));
        }
        assertEquals(FocusColumns.names(), names, "a definition for every column, x_ columns too, in order");
        return id;
    }

    /** A Parquet file's key-value metadata, as DuckDB reads it. */
    static Map<String, String> parquetKeyValues(Path file) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT decode(key), decode(value) FROM parquet_kv_metadata('" + file + "')")) {
            while (rs.next()) {
                if (rs.getString(1).startsWith("focus.")) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** The columns that state a minimum and a maximum in every row group of the Parquet file, as DuckDB reads them. */
    static Set<String> columnsWithMinAndMax(Path file) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT path_in_schema FROM parquet_metadata('" + file + "') GROUP BY path_in_schema"
                     + " HAVING bool_and(stats_min_value IS NOT NULL AND stats_max_value IS NOT NULL)")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The Parquet file's columns as written: name, physical and logical type, precision and scale. */
    static List<String> parquetSchema(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, type, repetition_type, converted_type, scale, precision, logical_type"
                     + " FROM parquet_schema('" + file + "')")) {
            while (rs.next()) {
                StringBuilder column = new StringBuilder();
                for (int i = 1; i <= 7; i++) {
                    column.append(rs.getString(i)).append(' ');
                }
                out.add(column.toString());
            }
        }
        return out;
    }

    /** The Parquet file as DuckDB reads it, rendered as the CSV renders each type. */
    static List<Map<String, String>> parquetRows(Path file) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            try (ResultSet types = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
                while (types.next()) {
                    String name = types.getString(1);
                    String type = types.getString(2);
                    String expected = DATETIMES.contains(name) ? "TIMESTAMP WITH TIME ZONE"
                            : AMOUNTS.contains(name) ? "DECIMAL(38,18)" : "VARCHAR";
                    assertEquals(expected, type, name);
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + file + "')")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        String name = rs.getMetaData().getColumnName(i);
                        Object v = rs.getObject(i);
                        row.put(name, v == null ? "" : DATETIMES.contains(name)
                                ? rs.getObject(i, java.time.OffsetDateTime.class).toInstant().toString()
                                : v instanceof BigDecimal d ? FocusColumns.format(name.endsWith("Cost")
                                        ? FocusColumns.Kind.MONEY : FocusColumns.Kind.NUMBER, d) : v.toString());
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    @ParameterizedTest
    @EnumSource(TestHarvest.StateDb.class)
    void aRebuildFromTheArchiveGivesTheSameExportsByteForByte(TestHarvest.StateDb db) throws Exception {
        Map<String, String> extra = new LinkedHashMap<>();
        TestHarvest.PostgresSchema schema = db == TestHarvest.StateDb.POSTGRESQL ? TestHarvest.PostgresSchema.create("rebuild") : null;
        if (schema != null) {
            extra.put("harvester.state.url", schema.url());
        }
        try (Sandbox sandbox = Sandbox.start(0)) {
            Path config = harvest(sandbox, extra);
            Map<Path, byte[]> before = new LinkedHashMap<>();
            for (Path f : ledgerFiles()) {
                before.put(f.getFileName(), Files.readAllBytes(f));
            }
            String url = extra.getOrDefault("harvester.state.url", "jdbc:h2:file:" + dir.resolve("state/harvester") + ";AUTO_SERVER=TRUE");
            try (Connection c = db == TestHarvest.StateDb.H2 ? DriverManager.getConnection(url, "sa", "")
                    : DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("DELETE FROM ledger_line");
                st.execute("DELETE FROM ledger_invoice");
                st.execute("DELETE FROM ledger_account");
            }
            for (Path f : ledgerFiles()) {
                Files.delete(f);
            }
            int requestsBefore = sandbox.requestCount();

            StringWriter out = new StringWriter();
            assertEquals(0, cli(out, "ledger", "rebuild", "--config", config.toString()), out.toString());
            assertTrue(out.toString().contains("ledger rebuilt: 2 months"), out.toString());
            assertEquals(requestsBefore, sandbox.requestCount(), "no API call");
            assertEquals(before.keySet(), new java.util.LinkedHashSet<>(ledgerFiles().stream().map(Path::getFileName).toList()));
            for (Path f : ledgerFiles()) {
                assertTrue(java.util.Arrays.equals(before.get(f.getFileName()), Files.readAllBytes(f)), f + " byte for byte");
            }
            StringWriter again = new StringWriter();
            assertEquals(0, cli(again, "ledger", "rebuild", "--config", config.toString(), "--month", "2025-02"), again.toString());
            assertTrue(java.util.Arrays.equals(before.get(Path.of("2025-02.csv")),
                    Files.readAllBytes(dir.resolve("out/ledger/2025-02.csv"))), "idempotent");

            // as the V8 migration leaves an existing installation: months marked, lines gone; the next run rebuilds
            try (Connection c = db == TestHarvest.StateDb.H2 ? DriverManager.getConnection(url, "sa", "")
                    : DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("INSERT INTO ledger_rebuild_pending (billing_month) VALUES ('2025-01')");
                st.execute("DELETE FROM ledger_line WHERE invoice_id IN (SELECT invoice_id FROM ledger_invoice"
                        + " WHERE billing_month = '2025-01')");
                st.execute("DELETE FROM ledger_invoice WHERE billing_month = '2025-01'");
            }
            Files.delete(dir.resolve("out/ledger/2025-01.csv"));
            StringWriter run = new StringWriter();
            assertEquals(0, cli(run, "once", "--config", config.toString(), "--month", "2025-01"), run.toString());
            assertTrue(java.util.Arrays.equals(before.get(Path.of("2025-01.csv")),
                    Files.readAllBytes(dir.resolve("out/ledger/2025-01.csv"))), "the run rebuilt the marked month first");
            try (Connection c = db == TestHarvest.StateDb.H2 ? DriverManager.getConnection(url, "sa", "")
                    : DriverManager.getConnection(url); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM ledger_rebuild_pending")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }

    /**
     * A rebuild that cannot read one of a month's archived files: the file is reported (the error handler), its month
     * stays marked with its other files in (the next run rebuilds it), and the other month is rebuilt and unmarked.
     */
    @Test
    void aRebuildMissingAnArchivedFileLeavesItsMonthMarkedAndRebuildsTheOthers() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0)) {
            Path config = harvest(sandbox, Map.of());
            Path gone;
            try (Stream<Path> files = Files.walk(dir.resolve("out/archive"))) {
                gone = files.filter(f -> f.toString().contains("/2025-01/") && f.toString().matches(".*\\.(csv|json)$"))
                        .findFirst().orElseThrow();
            }
            Files.delete(gone);

            StringWriter out = new StringWriter();
            assertEquals(1, cli(out, "ledger", "rebuild", "--config", config.toString()), out.toString());
            assertTrue(out.toString().contains("ledger rebuilt: 2 months"), out.toString());
            assertTrue(out.toString().contains("failed: ") && out.toString().contains("the archived copy " + gone + " is missing"),
                    out.toString());
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("state/harvester") + ";AUTO_SERVER=TRUE",
                    "sa", ""); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT billing_month FROM ledger_rebuild_pending")) {
                List<String> marked = new ArrayList<>();
                while (rs.next()) {
                    marked.add(rs.getString(1).trim());
                }
                assertEquals(List.of("2025-01"), marked, "only the month with the missing file waits");
            }
        }
    }

    /**
     * The exports of the sandbox's invoices (both providers, every kind of charge, CSV and Parquet) byte for byte as
     * they were before the export was made faster (issue 33): src/test/resources/golden/ledger. On both databases.
     * -Dgolden.capture=true writes them anew, for a change of the output that is meant.
     */
    @ParameterizedTest
    @EnumSource(TestHarvest.StateDb.class)
    void theExportsAreByteForByteTheGoldenCopies(TestHarvest.StateDb db) throws Exception {
        Map<String, String> extra = new LinkedHashMap<>();
        TestHarvest.PostgresSchema schema = db == TestHarvest.StateDb.POSTGRESQL ? TestHarvest.PostgresSchema.create("golden") : null;
        if (schema != null) {
            extra.put("harvester.state.url", schema.url());
        }
        Path golden = Path.of("src/test/resources/golden/ledger");
        try (Sandbox sandbox = Sandbox.start(0)) {
            harvest(sandbox, extra);
            if (Boolean.getBoolean("golden.capture")) {
                Files.createDirectories(golden);
                for (Path f : ledgerFiles()) {
                    Files.copy(f, golden.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            List<String> names;
            try (Stream<Path> s = Files.list(golden)) {
                names = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertEquals(names, ledgerFiles().stream().map(p -> p.getFileName().toString()).toList());
            for (String name : names) {
                Path written = dir.resolve("out/ledger/" + name);
                if (name.endsWith(".parquet")) {
                    // a Parquet file's bytes differ from write to write: its schema, metadata and rows may not
                    assertEquals(parquetSchema(golden.resolve(name)), parquetSchema(written), name + ": its schema (" + db + ")");
                    assertEquals(parquetKeyValues(golden.resolve(name)), parquetKeyValues(written), name + ": its metadata (" + db + ")");
                    assertEquals(parquetRows(golden.resolve(name)), parquetRows(written), name + ": its rows, in order (" + db + ")");
                } else {
                    assertTrue(java.util.Arrays.equals(Files.readAllBytes(golden.resolve(name)), Files.readAllBytes(written)),
                            name + " byte for byte as its golden copy (" + db + ")");
                }
            }
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }
}
