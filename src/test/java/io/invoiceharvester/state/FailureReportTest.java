package io.invoiceharvester.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.model.RunState;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A step that fails without an item of its own is reported under its name in failure-steps.properties. */
class FailureReportTest {

    @Test
    void aStepWithoutAnItemIsReportedByItsOwnNameNotByTheRoutesDescription() {
        List<RunState.FailureKind> counted = new ArrayList<>();
        FailureReport report = new FailureReport(null, counted::add);
        RunState run = new RunState("r", new RunRequest("plan", List.of(YearMonth.of(2025, 1)), List.of("akamai")));
        for (String routeId : List.of("export-ledger", "a-route-of-your-own")) {
            report.failed(run, null, new IllegalStateException("disk full"), routeId);
        }

        assertEquals("Rewrite ledger/{YYYY-MM}.csv (and .parquet) of every month whose lines changed", run.getFailures().get(0).item());
        assertEquals("a-route-of-your-own", run.getFailures().get(1).item(), "a route not named there: its id");
        assertEquals(List.of(RunState.FailureKind.OTHER, RunState.FailureKind.OTHER), counted, "each failure is counted");
    }
}
