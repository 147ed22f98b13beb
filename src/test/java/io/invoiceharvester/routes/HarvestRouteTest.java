package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunFailedException;
import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.RunLock;
import io.invoiceharvester.state.StateDatabase;
import io.invoiceharvester.state.StateReport;
import java.time.YearMonth;
import java.util.List;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * routes/harvest.camel.yaml: a run takes the lock, runs every phase, and ends however a phase ended;
 * its listings are split by account and month. The phases of other files are mocks here.
 */
class HarvestRouteTest extends RouteFileTest {

    static final List<String> PHASES = List.of("rebuild-pending-ledger", "drop-pending", "fastly-month-to-date", "retry-unmapped",
            "export-ledger", "publish-ledger", "report-unmapped", "run-summary");

    @Override
    protected List<String> routeFiles() {
        return List.of("harvest.camel.yaml");
    }

    @Override
    protected String mockedAndSkipped() {
        return "direct:(" + String.join("|", PHASES) + "|akamai-list-invoices|fastly-list-invoices)";
    }

    @Test
    void aPhaseThatFailsIsReportedAndTheRunStillSummarizesAndEnds() throws Exception {
        getMockEndpoint("mock:direct:drop-pending").whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("the drop phase broke");
        });
        for (String phase : PHASES) {
            getMockEndpoint("mock:direct:" + phase).expectedMessageCount(1);
        }
        MockEndpoint listings = getMockEndpoint("mock:direct:akamai-list-invoices");
        listings.expectedMessageCount(2);

        CamelExecutionException failed = assertThrows(CamelExecutionException.class, () -> template.requestBody("direct:harvest",
                new RunRequest("test", List.of(YearMonth.parse("2025-01"), YearMonth.parse("2025-02")), List.of("akamai"))));
        // a run that failed ends harvest-run failed (its counters show it), carrying the run
        RunState run = ((RunFailedException) failed.getCause()).run();

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(1, run.getFailureCount(), "the broken phase");
        assertEquals(List.of("2025-01", "2025-02"), listings.getReceivedExchanges().stream()
                .map(e -> e.getMessage().getBody(Listing.class).getMonth()).sorted().toList());
        List<StateReport.Run> history = new StateReport(bean("stateDatabase", StateDatabase.class).dataSource()).runs(10, false);
        assertEquals(1, history.size());
        assertEquals(run.getRunId(), history.get(0).runId());
        assertNotNull(history.get(0).finishedAt(), "the run is finished in the state database, as `history` shows it");
        RunLock lock = bean("runLock", RunLock.class);
        assertTrue(lock.current().isEmpty(), "the lock is released");
    }
}
