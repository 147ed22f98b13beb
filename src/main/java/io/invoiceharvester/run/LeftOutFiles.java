package io.invoiceharvester.run;

import io.invoiceharvester.model.ContentFilter;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunState;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregation of pick-new-files' split: a wanted file that ends its exchange with nothing counted for it
 * (ListedFile.settle) was left out by a route, a filter of an engineer's say, and is counted so
 * ("3 left out by the routes") instead of going missing from the run's figures. The split's exchange stays the
 * caller's, as a split without a strategy of its own leaves it, failures included.
 */
public class LeftOutFiles implements AggregationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(LeftOutFiles.class);

    private final ContentFilter contentFilter;

    public LeftOutFiles(ContentFilter contentFilter) {
        this.contentFilter = contentFilter;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        throw new UnsupportedOperationException("a split's strategy: given the split's own exchange");
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange, Exchange splitExchange) {
        RunState run = newExchange.getProperty(ExchangeProperties.RUN, RunState.class);
        if (newExchange.getProperty(ExchangeProperties.ITEM) instanceof ListedFile file && run != null && !file.isSettled()
                && newExchange.getException() == null && contentFilter.wanted(file)) {
            run.leftOut();
            LOG.info("left out by the routes: {}", file);
        }
        if (newExchange.getException() != null) {
            splitExchange.setException(newExchange.getException());
        }
        return splitExchange;
    }
}
