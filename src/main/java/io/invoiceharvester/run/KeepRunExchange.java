package io.invoiceharvester.run;

import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.FailureReport;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * The result of a run's phases (and of a split over its listings) is the exchange they started from,
 * not the last one's. Each phase handles its own failures; one that escapes anyway (its error handling
 * failed too) is reported for the run, so the summary shows it instead of losing it.
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
        return inputExchange;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        throw new UnsupportedOperationException("called with the input exchange only");
    }
}
