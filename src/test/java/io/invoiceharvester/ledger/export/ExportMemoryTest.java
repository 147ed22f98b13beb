package io.invoiceharvester.ledger.export;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest.StateDb;
import io.invoiceharvester.TestHarvest;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A month far larger than the heap is exported from PostgreSQL in a harvester with a small heap: the
 * export reads through a cursor (PostgreSQL ignores the fetch size under autocommit and loads it whole).
 */
class ExportMemoryTest extends HarvestTestSupport {

    static final int LINES = 120_000;

    @Test
    void aMonthLargerThanTheHeapIsStreamedFromPostgresql() throws Exception {
        on(StateDb.POSTGRESQL);
        h.openState().close();
        h.execute("INSERT INTO ledger_invoice (provider, account_id, invoice_id, source_type, billing_month, invoice_type,"
                + " file_version, line_source, source_file, line_count, reconciled, run_id, updated_at) VALUES ('akamai', 'A-1',"
                + " '1', 'REGULAR', '2099-01', 'INVOICE', '1', 'csv', 'big.csv', " + LINES + ", TRUE, 'r', CURRENT_TIMESTAMP)");
        // about 250 MB of lines: 2 KB of description each
        h.execute("INSERT INTO ledger_line (provider, account_id, invoice_id, source_type, line_no, charge_category,"
                + " charge_frequency, charge_description, service_category, service_subcategory, contracted_cost, billed_cost,"
                + " billing_currency) SELECT 'akamai', 'A-1', '1', 'REGULAR', n, 'Usage', 'Usage-Based', repeat(md5(n::text), 64),"
                + " 'Other', 'Other (Other)', 1, 1, 'USD' FROM generate_series(1, " + LINES + ") AS n");
        h.execute("INSERT INTO ledger_export_pending (billing_month) VALUES ('2099-01')");
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withStatus(204)));

        List<String> cmd = new ArrayList<>(TestHarvest.javaCommand("once", "--config", h.configFile().toString(), "--month", "2099-01"));
        cmd.add(1, "-Xmx128m");
        Process once = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("once.log").toFile()).start();
        assertTrue(once.waitFor(300, TimeUnit.SECONDS));
        String log = Files.readString(dir.resolve("once.log"));
        assertEquals(0, once.exitValue(), log.length() > 4000 ? log.substring(log.length() - 4000) : log);

        long rows = 0;
        try (BufferedReader r = Files.newBufferedReader(h.out().resolve("ledger/2099-01.csv"))) {
            while (r.readLine() != null) {
                rows++;
            }
        }
        assertEquals(LINES + 1, rows, "every line and the header");
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_export_pending"));
    }
}
