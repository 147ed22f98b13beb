package io.invoiceharvester.run;

import io.invoiceharvester.model.ExchangeProperties;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Makes the body the item its route works on (ExchangeProperties.ITEM). A splitter's onPrepare makes each
 * element the item of its own exchange, so a failure is always reported for the item it happened to,
 * never for one of an earlier step.
 */
public class RunItem implements Processor {

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(ExchangeProperties.ITEM, exchange.getIn().getBody());
    }
}
