package io.invoiceharvester.ledger.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.invoiceharvester.delivery.SafeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The FOCUS 1.2 metadata the ledger publishes beside its exports (ledger/focus-metadata.json): the data
 * generator, and the schema with its id, FOCUS version, creation date and every column's definition.
 * The schema id is derived from everything the schema states, so a change of a column or a type gives
 * a new id by itself, and its creation date is pinned beside it.
 */
public final class FocusMetadata {

    public static final String FILE = "focus-metadata.json";
    static final String DATA_GENERATOR = "invoice-harvester";
    public static final String FOCUS_VERSION = "1.2";
    /**
     * How invoices become rows: the state-database version that last changed it. Raise it (with a migration
     * that marks every month for export) when the rows change without their columns; docs/ledger.md lists
     * what each version changed.
     */
    static final String DATA_GENERATOR_VERSION = "14";
    static final String ENCODING = "UTF-8";

    /** The keys of the Parquet files' key-value metadata that point here. */
    static final String PARQUET_SCHEMA_ID = "focus.schema_id";
    static final String PARQUET_FOCUS_VERSION = "focus.version";
    static final String PARQUET_METADATA_FILE = "focus.metadata";

    /** Every schema the ledger has had, by id, and when it was defined (add one with each schema change). */
    static final Map<String, Instant> CREATED = Map.of("a58c85a7-c603-3e9f-975e-5f499efa2cf3", Instant.parse("2026-12-05T00:00:00Z"));

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<Map<String, Object>> columns;
    private final String schemaId;

    FocusMetadata(List<Map<String, Object>> columns) {
        this.columns = columns;
        this.schemaId = schemaId(columns);
    }

    /** The current schema, its strings as wide as the state database's columns they come from. */
    public static FocusMetadata of(DataSource dataSource) throws SQLException {
        return new FocusMetadata(definitions(columnWidths(dataSource)));
    }

    public String schemaId() {
        return schemaId;
    }

    List<Map<String, Object>> columns() {
        return columns;
    }

    /** Parquet key-value metadata: the schema a file follows, without reading its rows. */
    Map<String, String> parquetKeyValues() {
        return Map.of(PARQUET_SCHEMA_ID, schemaId, PARQUET_FOCUS_VERSION, FOCUS_VERSION, PARQUET_METADATA_FILE, FILE);
    }

    /**
     * When the schema was defined: a fact of the code, like its id, so that one schema id has one metadata
     * object on every installation. A schema without a date here fails the build (FocusLedgerTest).
     */
    Instant creationDate() {
        Instant created = CREATED.get(schemaId);
        if (created == null) {
            throw new IllegalStateException("schema " + schemaId + " has no creation date in FocusMetadata.CREATED");
        }
        return created;
    }

    /** Writes ledger/focus-metadata.json when it is missing or names another schema; returns the file. */
    public Path publish(Path ledgerDir) throws IOException {
        Path file = ledgerDir.resolve(FILE);
        byte[] bytes = document(creationDate());
        if (Files.isRegularFile(file) && Arrays.equals(bytes, Files.readAllBytes(file))) {
            return file;
        }
        Path staged = ledgerDir.resolve("." + FILE + ".inprogress");
        try {
            Files.write(staged, bytes);
            SafeFiles.replace(staged, file);
        } finally {
            Files.deleteIfExists(staged);
        }
        return file;
    }

    byte[] document(Instant created) throws IOException {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("SchemaId", schemaId);
        schema.put("FocusVersion", FOCUS_VERSION);
        schema.put("CreationDate", created.truncatedTo(ChronoUnit.SECONDS).toString());
        schema.put("DataGeneratorVersion", DATA_GENERATOR_VERSION);
        schema.put("ColumnDefinition", columns);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("DataGenerator", DATA_GENERATOR);
        doc.put("Schema", schema);
        return (JSON.writeValueAsString(doc) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<Map<String, Object>> definitions(Map<String, Integer> widths) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (FocusColumns.Column c : FocusColumns.ALL) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("ColumnName", c.name());
            switch (c.kind()) {
                case TEXT -> {
                    d.put("DataType", "STRING");
                    d.put("StringEncoding", ENCODING);
                    d.put("StringMaxLength", c.sources().stream().mapToInt(s -> width(widths, c, s)).max().orElseThrow());
                }
                case NUMBER, MONEY -> {
                    d.put("DataType", "DECIMAL");
                    d.put("NumericPrecision", ParquetLedgerFile.PRECISION);
                    d.put("NumberScale", ParquetLedgerFile.SCALE);
                }
                case DATETIME -> d.put("DataType", "DATETIME");
            }
            out.add(d);
        }
        return out;
    }

    private static int width(Map<String, Integer> widths, FocusColumns.Column c, String source) {
        Integer w = widths.get(source);
        if (w == null || w <= 0) {
            throw new IllegalStateException(c.name() + ": the ledger query has no sized column " + source);
        }
        return w;
    }

    /** The declared width of every column the ledger's month query returns, by its lower-case name. */
    private static Map<String, Integer> columnWidths(DataSource dataSource) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FocusColumns.MONTH_QUERY)) {
            ps.setString(1, "none");
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    out.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), md.getPrecision(i));
                }
            }
        }
        return out;
    }

    /** A name-based UUID of the schema's content: the same columns and types always give the same id. */
    private static String schemaId(List<Map<String, Object>> columns) {
        try {
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("DataGenerator", DATA_GENERATOR);
            content.put("FocusVersion", FOCUS_VERSION);
            content.put("DataGeneratorVersion", DATA_GENERATOR_VERSION);
            content.put("ColumnDefinition", columns);
            return UUID.nameUUIDFromBytes(new ObjectMapper().writeValueAsBytes(content)).toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
