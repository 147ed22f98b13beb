package io.invoiceharvester.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.model.RunState;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A step that fails without an item of its own is reported under its name in failure-steps.properties. */
class FailureReportTest {

    @Test
    void aStepWithoutAnItemIsReportedByItsOwnNameNotByTheRoutesDescription() throws Exception {
        List<RunState.FailureKind> counted = new ArrayList<>();
        FailureReport report = new FailureReport(null, counted::add);
        RunState run = new RunState("r", new RunRequest("plan", List.of(YearMonth.of(2025, 1)), List.of("akamai")));
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            for (String routeId : List.of("export-ledger", "a-route-of-your-own")) {
                Exchange exchange = new DefaultExchange(camel);
                exchange.setProperty(Exchange.FAILURE_ROUTE_ID, routeId);
                report.failed(run, null, new IllegalStateException("disk full"), exchange);
            }
        }

        assertEquals("Rewrite ledger/{YYYY-MM}.csv (and .parquet) of every month whose lines changed", run.getFailures().get(0).item());
        assertEquals("a-route-of-your-own", run.getFailures().get(1).item(), "a route not named there: its id");
        assertEquals(List.of(RunState.FailureKind.OTHER, RunState.FailureKind.OTHER), counted, "each failure is counted");
    }
}
