package io.invoiceharvester.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.model.RunState;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A step that fails without an item of its own is reported under its route's description, or the words
 * failure-steps.properties gives where they differ.
 */
class FailureReportTest {

    @Test
    void aStepWithoutAnItemIsReportedByItsDescriptionOrTheWordsForFinance() {
        List<RunState.FailureKind> counted = new ArrayList<>();
        Map<String, String> descriptions = Map.of("export-ledger", "Rewrite ledger/{YYYY-MM}.csv of every month whose lines changed",
                "sweep-leftovers", "Remove what an interrupted run left half-written");
        FailureReport report = new FailureReport(null, counted::add, descriptions::get);
        RunState run = new RunState("r", new RunRequest("plan", List.of(YearMonth.of(2025, 1)), List.of("akamai")));
        for (String routeId : List.of("export-ledger", "sweep-leftovers", "a-route-without-one")) {
            report.failed(run, null, new IllegalStateException("disk full"), routeId);
        }
        report.failed(run, YearMonth.of(2025, 1), new IllegalStateException("disk full"), "export-ledger");

        assertEquals("ledger export", run.getFailures().get(0).item(), "failure-steps.properties' words");
        assertEquals("Remove what an interrupted run left half-written", run.getFailures().get(1).item(), "the description");
        assertEquals("a-route-without-one", run.getFailures().get(2).item(), "neither: its id");
        assertEquals("ledger export 2025-01", run.getFailures().get(3).item(), "a month, with its step's words");
        assertEquals(Collections.nCopies(4, RunState.FailureKind.OTHER), counted, "each failure is counted");
    }
}
