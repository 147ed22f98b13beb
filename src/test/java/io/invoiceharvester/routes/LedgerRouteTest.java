package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/** routes/ledger.camel.yaml: an archived invoice CSV is streamed into ledger lines, and the changed month is exported. */
class LedgerRouteTest extends RouteFileTest {

    @Override
    protected List<String> routeFiles() {
        return List.of("ledger.camel.yaml");
    }

    @Test
    void anArchivedCsvBecomesLedgerLinesAndItsMonthIsExported() throws Exception {
        RunState run = run("2021-01");
        ListedFile csv = RouteFileTest.akamaiFile("2021-01", "1234567890", "text/csv", "1234567890_1.csv");
        Path archived = Files.createDirectories(harvest().out().resolve("archive")).resolve("1234567890_1.csv");
        Files.write(archived, TestHarvest.resource("/fixtures/akamai/invoice-download.csv"));
        csv.setStored(archived);

        Exchange ingested = sendItem("direct:ledger-csv", run, csv);
        assertNull(ingested.getException());
        assertTrue(lines() > 0, "ledger lines from the CSV");
        assertEquals(0, run.getFailureCount());

        Exchange exported = template.send("direct:export-ledger", e -> e.setProperty(ExchangeProperties.RUN, run));
        assertNull(exported.getException());
        List<String> rows = Files.readAllLines(harvest().out().resolve("ledger").resolve("2021-01.csv"));
        assertEquals(lines() + 1, rows.size(), "a header and every line");
        assertTrue(rows.get(0).startsWith("BillingAccountId,BillingAccountName,"), "the FOCUS header: " + rows.get(0));
        assertTrue(rows.stream().skip(1).allMatch(r -> r.startsWith("A-CCT7890,") && r.contains(",1234567890,")),
                "every line is the account's and the invoice's");
    }

    private int lines() throws Exception {
        try (Connection c = harvest().connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM ledger_line")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
