package io.invoiceharvester.ledger.table;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * ledger-csv's split aggregates here what its batches wrote (each batch's LineTotals) into the file's totals, which
 * its invoice is reconciled with. Within the split, on its own thread: the file's transaction stays one.
 */
public class LedgerTotals implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (oldExchange == null || newExchange.getException() != null) {
            return newExchange; // a failed batch stops the split (stopOnException), and the file with it
        }
        LineTotals sum = oldExchange.getMessage().getBody(LineTotals.class);
        oldExchange.getMessage().setBody(sum.plus(newExchange.getMessage().getBody(LineTotals.class)));
        return oldExchange;
    }
}
