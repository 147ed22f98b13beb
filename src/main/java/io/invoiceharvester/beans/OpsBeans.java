package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.http.RequestSlots;
import io.invoiceharvester.ledger.table.LedgerFigures;
import io.invoiceharvester.ops.HarvesterMetrics;
import io.invoiceharvester.ops.ProgressWatch;
import io.invoiceharvester.ops.StateGauges;
import io.invoiceharvester.state.StateDatabase;
import io.invoiceharvester.state.StateReport;
import io.invoiceharvester.summary.Outbox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** What an operator watches: meters for Prometheus, and a run's progress (JMX, terminal, log). */
public class OpsBeans implements CamelConfiguration {

    @BindToRegistry
    public HarvesterMetrics harvesterMetrics(LedgerFigures figures, StateGauges stateGauges, HarvesterSettings settings) {
        Map<String, List<String>> contentTypes = new LinkedHashMap<>();
        for (String provider : settings.providers()) {
            contentTypes.put(provider, "akamai".equals(provider) ? List.copyOf(settings.akamai().contentTypes()) : List.of("application/json"));
        }
        return new HarvesterMetrics(figures, stateGauges, contentTypes);
    }

    /** What the alert rules watch, from the state database and the outbox folder. */
    @BindToRegistry
    public StateGauges stateGauges(StateDatabase state, HarvesterSettings settings) {
        return new StateGauges(new StateReport(state.dataSource()), new Outbox(settings.output(), null), settings.run().schedule(),
                settings.run().maxDuration());
    }

    /** A bar on a terminal, a log line every harvester.progress.interval otherwise. */
    @BindToRegistry(destroyMethod = "close")
    public ProgressWatch progressWatch(RequestSlots slots, HarvesterSettings settings) {
        return new ProgressWatch(slots, settings.run().progressInterval(), System.console() != null ? System.out : null);
    }
}
