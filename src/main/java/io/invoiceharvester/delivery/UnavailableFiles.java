package io.invoiceharvester.delivery;

import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.state.WaitingFiles;
import java.time.YearMonth;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listed file the provider will not serve is not bad content: a 204 for any file, and a 400 or 404
 * for one Akamai's reference says cannot exist (COMPUTE data is CSV only, from February 2024 on; its
 * published list example still offers a COMPUTE PDF). Recorded, reported by the run that first meets
 * it, listed as waiting, and tried again by later runs; never quarantined. Any other 400/404 stays a failure.
 */
public class UnavailableFiles {

    private static final Logger LOG = LoggerFactory.getLogger(UnavailableFiles.class);
    /** The first month Akamai offers COMPUTE data for. */
    static final YearMonth FIRST_COMPUTE_MONTH = YearMonth.of(2024, 2);

    private final WaitingFiles waiting;
    private final FailureReport failures;

    public UnavailableFiles(WaitingFiles waiting, FailureReport failures) {
        this.waiting = waiting;
        this.failures = failures;
    }

    /** The error handler's test: whether this failure of this item means "not served". */
    public boolean notServed(Object item, Exchange exchange) {
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return item instanceof ListedFile file && reason(file, error) != null;
    }

    /** The error handler's step: recorded; a failure of the run only the first time. */
    public void record(RunState run, ListedFile file,
                       Throwable error) {
        String reason = reason(file, error);
        file.settle();
        if (run.isDryRun()) {
            return;
        }
        if (waiting.unavailable(file, reason, run.getRunId())) {
            failures.record(run, RunState.FailureKind.OTHER, file.toString(), "not available: " + reason
                    + "; recorded, tried again by later runs and listed as waiting until it is served");
        } else {
            LOG.info("still not available: {}: {}", file, reason);
        }
    }

    private static String reason(ListedFile file, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof NotServedException) {
                return t.getMessage();
            }
            if (t instanceof HttpOperationFailedException h && (h.getStatusCode() == 400 || h.getStatusCode() == 404)
                    && cannotExist(file)) {
                return FailureReport.describe(h) + " (Akamai's reference: COMPUTE data is text/csv only, from "
                        + FIRST_COMPUTE_MONTH + " on)";
            }
        }
        return null;
    }

    /** A file Akamai's reference says is never offered: COMPUTE data that is not CSV, or of a month before COMPUTE. */
    static boolean cannotExist(ListedFile file) {
        return "akamai".equals(file.getProvider()) && "COMPUTE".equals(file.getSourceType())
                && (!"text/csv".equals(file.getContentType()) || YearMonth.parse(file.getMonth()).isBefore(FIRST_COMPUTE_MONTH));
    }
}
