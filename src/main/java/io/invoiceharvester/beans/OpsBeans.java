package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.http.RequestSlots;
import io.invoiceharvester.ledger.LedgerFigures;
import io.invoiceharvester.ops.HarvesterMetrics;
import io.invoiceharvester.ops.ProgressWatch;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** What an operator watches: counters for metrics, and a run's progress (JMX, terminal, log). */
public class OpsBeans implements CamelConfiguration {

    @BindToRegistry
    public HarvesterMetrics harvesterMetrics(LedgerFigures figures) {
        return new HarvesterMetrics(figures);
    }

    /** A bar on a terminal, a log line every harvester.progress.interval otherwise. */
    @BindToRegistry(destroyMethod = "close")
    public ProgressWatch progressWatch(RequestSlots slots, HarvesterSettings settings) {
        return new ProgressWatch(slots, settings.progressInterval(), System.console() != null ? System.out : null);
    }
}
