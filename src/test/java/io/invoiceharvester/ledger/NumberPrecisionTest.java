package io.invoiceharvester.ledger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest.StateDb;
import io.invoiceharvester.model.RunState;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Numbers as JSON sends them: Fastly's floating-point amounts, rates and units (46733.333333333336,
 * 7.5E-7) and totals up to the ledger's bounds (20 integer digits, 18 decimals) are stored exactly, in
 * the state database and in the Parquet export.
 */
public class NumberPrecisionTest extends HarvestTestSupport {

    public static final String WIDEST = "12345678901234567890.123456789012345678";
    static final ObjectMapper JSON = new ObjectMapper();


    @ParameterizedTest
    @EnumSource(StateDb.class)
    void floatingPointAmountsAndTheWidestTotalAreStoredAndExportedExactly(StateDb db) throws Exception {
        on(db);
        h.set("harvester.akamai.enabled", "false").set("harvester.fastly.enabled", "true")
                .set("harvester.fastly.base-url", h.api.baseUrl()).set("harvester.fastly.api-token", "precision-token")
                .set("harvester.ledger.formats", "csv,parquet");
        ObjectNode invoice = JSON.createObjectNode().put("customer_id", "cust1").put("invoice_id", "5000101")
                .put("billing_start_date", "2025-01-01T00:00:00Z").put("billing_end_date", "2025-01-31T23:59:59Z")
                .put("currency_code", "USD");
        invoice.set("monthly_transaction_amount", number(WIDEST));
        ObjectNode line = invoice.putArray("transaction_line_items").addObject().put("description", "Requests")
                .put("product_name", "CDN").put("usage_type", "Requests");
        line.set("amount", number(WIDEST));
        line.set("rate", number("7.5E-7"));
        line.set("units", number("46733.333333333336"));
        ObjectNode page = JSON.createObjectNode();
        page.putArray("data").add(invoice);
        h.api.stubFor(get(urlPathEqualTo("/billing/v3/invoices")).willReturn(aResponse().withBody(page.toString())));
        h.api.stubFor(get(urlPathEqualTo("/billing/v3/invoices/5000101")).willReturn(aResponse().withBody(invoice.toString())));

        RunState report = h.run("2025-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        try (Connection c = h.connection(); Statement st = c.createStatement()) {
            assertExact(WIDEST, st, "SELECT invoice_total FROM harvested_file");
            assertExact(WIDEST, st, "SELECT invoice_total FROM ledger_invoice");
            assertExact(WIDEST, st, "SELECT billed_cost FROM ledger_line");
            assertExact("7.5E-7", st, "SELECT contracted_unit_price FROM ledger_line");
            assertExact("46733.333333333336", st, "SELECT pricing_quantity FROM ledger_line");
            assertEquals(1, h.count("SELECT COUNT(*) FROM ledger_invoice WHERE reconciled"), "reconciled to the last decimal");
        }
        Path parquet = h.out().resolve("ledger/2025-01.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            assertExact(WIDEST, st, "SELECT BilledCost FROM '" + parquet + "'");
            assertExact("7.5E-7", st, "SELECT ContractedUnitPrice FROM '" + parquet + "'");
            assertExact("46733.333333333336", st, "SELECT PricingQuantity FROM '" + parquet + "'");
        }
    }

    /** A JSON number written exactly as given (a double would already have rounded it). */
    private static com.fasterxml.jackson.databind.JsonNode number(String text) {
        return JSON.getNodeFactory().numberNode(new BigDecimal(text));
    }

    private static void assertExact(String expected, Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            BigDecimal actual = rs.getBigDecimal(1);
            assertEquals(0, new BigDecimal(expected).compareTo(actual), sql + " gave " + actual);
        }
    }
}
