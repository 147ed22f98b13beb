package io.invoiceharvester.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.invoiceharvester.TestHarvest.PostgresSchema;
import io.invoiceharvester.TestHarvest.StateDb;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import io.invoiceharvester.model.ConfigException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Schema V8 on a state database of V7 with a ledger: what a rebuild needs is taken from the old ledger,
 * the old lines go, and their months are marked for a rebuild. V11 on V10: amounts widened, every month
 * exported again. A reading command's quick opening still migrates a database behind this version. On
 * H2 and PostgreSQL.
 */
class StateMigrationTest {

    @org.junit.jupiter.api.Test
    void theVersionAReadingCommandExpectsIsTheNewestMigration() throws Exception {
        int newest = 0;
        for (String folder : new String[] {"src/main/resources/db/migration", "src/main/resources/db/vendor/postgresql"}) {
            try (var files = java.nio.file.Files.list(Path.of(folder))) {
                for (String name : files.map(f -> f.getFileName().toString()).toList()) {
                    newest = Math.max(newest, Integer.parseInt(name.substring(1, name.indexOf("__"))));
                }
            }
        }
        assertEquals(newest, StateDatabase.SCHEMA_VERSION, "StateDatabase.SCHEMA_VERSION names the newest V*.sql");
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aReadingCommandMigratesADatabaseBehindAndReadsACurrentOne(StateDb db) throws Exception {
        PostgresSchema schema = db == StateDb.H2 ? null : PostgresSchema.create("migration");
        String url = url(db, schema);
        try {
            migrateTo(db, url, "12");
            try (StateDatabase state = StateDatabase.openForReading(url, db == StateDb.H2 ? "sa" : null, db == StateDb.H2 ? "" : null);
                 Connection c = state.dataSource().getConnection(); Statement st = c.createStatement()) {
                assertEquals(0, count(st, "SELECT COUNT(*) FROM run_lock WHERE expires_at IS NULL"), "V13 is there");
            }
            try (StateDatabase state = StateDatabase.openForReading(url, db == StateDb.H2 ? "sa" : null, db == StateDb.H2 ? "" : null);
                 Connection c = state.dataSource().getConnection(); Statement st = c.createStatement()) {
                assertEquals(1, count(st, "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '"
                        + StateDatabase.SCHEMA_VERSION + "'"), "migrated once");
                assertEquals(0, count(st, "SELECT COUNT(*) FROM harvest_run"), "a current database is read as it is");
            }
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void aV7LedgerIsMarkedForARebuildWithWhatTheRebuildNeeds(StateDb db) throws Exception {
        PostgresSchema schema = db == StateDb.H2 ? null : PostgresSchema.create("migration");
        String url = url(db, schema);
        try {
            migrateTo(db, url, "7");
            try (Connection c = connect(db, url); Statement st = c.createStatement()) {
                st.execute("INSERT INTO harvested_file (provider, account_id, contract_id, invoice_id, source_type, content_type,"
                        + " file_version, file_name, billing_month, stored_path, sha256, size_bytes, run_id, delivered_at)"
                        + " VALUES ('akamai', 'A-1', 'C-1', '777', 'REGULAR', 'text/csv', '1', '777_1.csv', '2024-03', '/a/777_1.csv',"
                        + " '" + "0".repeat(64) + "', 10, 'r1', CURRENT_TIMESTAMP)");
                st.execute("INSERT INTO ledger_invoice (provider, account_id, invoice_id, source_type, billing_month, invoice_type,"
                        + " file_version, line_source, source_file, invoice_currency, invoice_total, line_count, reconciled, run_id,"
                        + " updated_at) VALUES ('akamai', 'A-1', '777', 'REGULAR', '2024-03', 'CREDIT_MEMO', '1', 'csv', '777_1.csv',"
                        + " 'EUR', -20.40, 1, TRUE, 'r1', CURRENT_TIMESTAMP)");
                st.execute("INSERT INTO ledger_line (provider, account_id, invoice_id, source_type, line_no, charge_category,"
                        + " billed_cost, billing_currency) VALUES ('akamai', 'A-1', '777', 'REGULAR', 1, 'Credit', -20.40, 'EUR')");
            }

            StateDatabase.open(url, db == StateDb.H2 ? "sa" : null, db == StateDb.H2 ? "" : null).close();

            try (Connection c = connect(db, url); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT invoice_total, invoice_currency, invoice_type FROM harvested_file")) {
                    rs.next();
                    assertEquals(0, new BigDecimal("-20.40").compareTo(rs.getBigDecimal(1)));
                    assertEquals("EUR", rs.getString(2));
                    assertEquals("CREDIT_MEMO", rs.getString(3), "files stored before V7 learn their type");
                }
                assertEquals(0, count(st, "SELECT COUNT(*) FROM ledger_line"));
                assertEquals(0, count(st, "SELECT COUNT(*) FROM ledger_invoice"));
                assertEquals(1, count(st, "SELECT COUNT(*) FROM ledger_rebuild_pending WHERE billing_month = '2024-03'"));
            }
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void v11WidensEveryAmountAndMarksEveryMonthForExportOnce(StateDb db) throws Exception {
        PostgresSchema schema = db == StateDb.H2 ? null : PostgresSchema.create("migration");
        String url = url(db, schema);
        try {
            migrateTo(db, url, "10");
            try (Connection c = connect(db, url); Statement st = c.createStatement()) {
                for (String month : new String[] {"2024-03", "2024-04"}) {
                    st.execute("INSERT INTO ledger_invoice (provider, account_id, invoice_id, source_type, billing_month, invoice_type,"
                            + " file_version, line_source, source_file, invoice_currency, invoice_total, line_count, reconciled,"
                            + " run_id, updated_at) VALUES ('akamai', 'A-1', '" + month.replace("-", "") + "', 'REGULAR', '" + month
                            + "', 'INVOICE', '1', 'csv', 'f.csv', 'EUR', 1234567890123456.12345678, 1, TRUE, 'r1', CURRENT_TIMESTAMP)");
                }
                st.execute("INSERT INTO ledger_export_pending (billing_month) VALUES ('2024-04')");
            }

            StateDatabase.open(url, db == StateDb.H2 ? "sa" : null, db == StateDb.H2 ? "" : null).close();

            try (Connection c = connect(db, url); Statement st = c.createStatement()) {
                assertEquals(2, count(st, "SELECT COUNT(*) FROM ledger_export_pending"), "both months, April once");
                assertEquals(2, count(st, "SELECT COUNT(*) FROM ledger_invoice WHERE invoice_total = 1234567890123456.12345678"));
                st.execute("UPDATE ledger_invoice SET invoice_total = 12345678901234567890.123456789012345678");
                assertEquals(2, count(st, "SELECT COUNT(*) FROM ledger_invoice"
                        + " WHERE invoice_total = 12345678901234567890.123456789012345678"), "held exactly, not rounded");
            }
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }

    /**
     * A ledger line an older version accepted with 28 integer digits cannot be kept by V11's 20: the upgrade is refused
     * before anything is altered (H2's DDL is not transactional), naming the column, the row and what to do; once the
     * line is gone, the same start upgrades.
     */
    @ParameterizedTest
    @EnumSource(StateDb.class)
    void anAmountV11CannotKeepIsNamedBeforeAnythingIsAltered(StateDb db) throws Exception {
        PostgresSchema schema = db == StateDb.H2 ? null : PostgresSchema.create("migration");
        String url = url(db, schema);
        try {
            migrateTo(db, url, "10");
            try (Connection c = connect(db, url); Statement st = c.createStatement()) {
                st.execute("INSERT INTO ledger_line (provider, account_id, invoice_id, source_type, line_no, charge_category,"
                        + " charge_frequency, service_category, service_subcategory, contracted_cost, billed_cost, billing_currency)"
                        + " VALUES ('akamai', 'A-1', '99', 'REGULAR', 3, 'Usage', 'Usage-Based', 'Networking', 'Content Delivery',"
                        + " 1.5, 123456789012345678901234567.5, 'USD')");
            }

            ConfigException refused = assertThrows(ConfigException.class,
                    () -> StateDatabase.open(url, db == StateDb.H2 ? "sa" : null, db == StateDb.H2 ? "" : null).close());

            String message = refused.getMessage();
            assertTrue(message.startsWith("harvester.state.url: the database cannot be upgraded, nothing was changed: ledger_line.billed_cost"
                    + " holds 1 value of more than 20 integer digits"), message);
            assertTrue(message.contains("akamai account A-1 invoice 99 REGULAR line 3 (123456789012345678901234567.5000000000)"), message);
            assertTrue(message.contains("delete that invoice's lines") && message.contains("ledger rebuild"), message);
            try (Connection c = connect(db, url); Statement st = c.createStatement()) {
                assertEquals(0, count(st, "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '11'"), "V11 not applied");
                st.execute("UPDATE ledger_line SET contracted_unit_price = 12345678901234567890123456.5");
                assertEquals(1, count(st, "SELECT COUNT(*) FROM ledger_line WHERE contracted_unit_price = 12345678901234567890123456.5"),
                        "no column was narrowed: a second out-of-range value is still taken");
                st.execute("DELETE FROM ledger_line WHERE invoice_id = '99'");
            }
            StateDatabase.open(url, db == StateDb.H2 ? "sa" : null, db == StateDb.H2 ? "" : null).close();
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }

    /**
     * An older version wrote a user and password of the bucket's endpoint into ledger_published.target: V16 scrubs them,
     * so the endpoint without them names the same target and no month is published again (one row per month).
     */
    @ParameterizedTest
    @EnumSource(StateDb.class)
    void v16ScrubsCredentialsFromPublishedTargetsWithoutPublishingAgain(StateDb db) throws Exception {
        PostgresSchema schema = db == StateDb.H2 ? null : PostgresSchema.create("migration");
        String url = url(db, schema);
        try {
            migrateTo(db, url, "15");
            try (Connection c = connect(db, url); Statement st = c.createStatement()) {
                st.execute("INSERT INTO ledger_published (target, billing_month, published_at) VALUES"
                        + " ('http://minio:s3cret@127.0.0.1:9000/ledger/focus', '2025-01', CURRENT_TIMESTAMP),"
                        + " ('http://minio:s3cret@127.0.0.1:9000/ledger/focus', '2025-02', CURRENT_TIMESTAMP),"
                        + " ('http://127.0.0.1:9000/ledger/focus', '2025-02', CURRENT_TIMESTAMP),"
                        + " ('s3/other/focus', '2025-01', CURRENT_TIMESTAMP)");
            }

            StateDatabase.open(url, db == StateDb.H2 ? "sa" : null, db == StateDb.H2 ? "" : null).close();

            try (Connection c = connect(db, url); Statement st = c.createStatement()) {
                assertEquals(0, count(st, "SELECT COUNT(*) FROM ledger_published WHERE target LIKE '%s3cret%'"));
                assertEquals(2, count(st, "SELECT COUNT(*) FROM ledger_published WHERE target = 'http://127.0.0.1:9000/ledger/focus'"),
                        "both months stay published under the target without credentials");
                assertEquals(3, count(st, "SELECT COUNT(*) FROM ledger_published"));
            }
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }

    private String url(StateDb db, PostgresSchema schema) {
        return db == StateDb.H2 ? "jdbc:h2:file:" + dir.resolve("state") : schema.url();
    }

    private static void migrateTo(StateDb db, String url, String version) {
        String[] locations = db == StateDb.H2 ? new String[] {"classpath:db/migration"}
                : new String[] {"classpath:db/migration", "classpath:db/vendor/postgresql"};
        Flyway.configure().dataSource(url, db == StateDb.H2 ? "sa" : null, db == StateDb.H2 ? "" : null)
                .locations(locations).target(version).load().migrate();
    }


    private static Connection connect(StateDb db, String url) throws Exception {
        return db == StateDb.H2 ? DriverManager.getConnection(url, "sa", "") : DriverManager.getConnection(url);
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
