package io.invoiceharvester.run;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The exchange properties a run's routes share: the run (set once, when it begins) and the item a route
 * works on. A splitter's onPrepare makes each element the item of its own exchange, so a failure is
 * always reported for the item it happened to, never for one of an earlier step.
 */
public class RunItem implements Processor {

    public static final String RUN = "harvesterRun";
    public static final String ITEM = "harvesterItem";

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(ITEM, exchange.getIn().getBody());
    }
}
