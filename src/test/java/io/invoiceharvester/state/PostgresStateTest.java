package io.invoiceharvester.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.RunState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state database on PostgreSQL (servers and clusters): migrated by Flyway, the harvest works the same. */
class PostgresStateTest {

    static final String URL = TestHarvest.StateDb.POSTGRES_URL;
    static final String LINK = TestHarvest.DOWNLOADS;

    @TempDir
    Path dir;
    TestHarvest h;
    TestHarvest.PostgresSchema pg;
    String schema;

    @BeforeEach
    void setUp() throws Exception {
        pg = TestHarvest.PostgresSchema.create("harvester_test");
        schema = pg.name();
        h = new TestHarvest(dir);
        h.set("harvester.state.url", pg.url())
                .set("harvester.state.username", "").set("harvester.state.password", "");
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) {
            h.close();
            pg.close();
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aHarvestOnPostgresqlRecordsFilesLedgerAndRunsAndARerunFetchesNothing() throws Exception {
        RunState first = h.run("2021-01");
        assertEquals(0, first.exitCode(), first.getFailures().toString());
        assertEquals(4, count("SELECT COUNT(*) FROM harvested_file"));
        assertEquals(4, count("SELECT COUNT(*) FROM ledger_line"));
        long migrations = 0;
        for (String folder : List.of("src/main/resources/db/migration", "src/main/resources/db/vendor/postgresql")) {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(Path.of(folder))) {
                migrations += files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
            }
        }
        assertEquals(migrations, count("SELECT COUNT(*) FROM flyway_schema_history WHERE success"), "every migration applied");

        long downloads = h.requestsTo(LINK);
        RunState second = h.run("2021-01");
        assertEquals(0, second.getFilesStored());
        assertEquals(downloads, h.requestsTo(LINK));
        assertEquals(2, count("SELECT COUNT(*) FROM harvest_run WHERE exit_code = 0"));
    }
}
