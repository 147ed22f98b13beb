package io.invoiceharvester.run;

import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.FailureReport;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * The result of a run's phases (and of a split over its items) is the exchange they started from, not the last
 * one's, with the number of items that failed (ExchangeProperties.ITEMS_FAILED): the error handler marks each it
 * reported (ITEM_FAILED), which the split would otherwise take for a success. A step after the split reads it (a month
 * is rebuilt, or published, only when none of its files failed). Each phase handles its own failures; one that escapes
 * anyway (its error handling failed too) is reported for the run, so the summary shows it instead of losing it, and
 * counted as failed.
 */
public class KeepRunExchange implements AggregationStrategy {

    private final FailureReport failures;

    public KeepRunExchange(FailureReport failures) {
        this.failures = failures;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange, Exchange inputExchange) {
        Exception escaped = newExchange.getException();
        if (escaped != null) {
            failures.failed(newExchange.getProperty(ExchangeProperties.RUN, RunState.class), newExchange.getProperty(ExchangeProperties.ITEM),
                    escaped, newExchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class));
        }
        int failed = oldExchange == null ? 0 : inputExchange.getProperty(ExchangeProperties.ITEMS_FAILED, 0, Integer.class);
        if (escaped != null || newExchange.getProperty(ExchangeProperties.ITEM_FAILED, false, Boolean.class)) {
            failed++;
        }
        inputExchange.setProperty(ExchangeProperties.ITEMS_FAILED, failed);
        return inputExchange;
    }

    /** A split over no items: none failed. */
    @Override
    public void onCompletion(Exchange exchange, Exchange inputExchange) {
        if (exchange == null) {
            inputExchange.setProperty(ExchangeProperties.ITEMS_FAILED, 0);
        }
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        throw new UnsupportedOperationException("called with the input exchange only");
    }
}
