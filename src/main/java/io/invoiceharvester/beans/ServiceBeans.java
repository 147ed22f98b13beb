package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.model.ConfigException;
import io.invoiceharvester.ops.HarvesterHealth;
import io.invoiceharvester.ops.HarvesterMetrics;
import io.invoiceharvester.ops.ProgressWatch;
import io.invoiceharvester.ops.RouteHealth;
import io.invoiceharvester.ops.RouteReload;
import io.invoiceharvester.state.ClusteredSchedule;
import io.invoiceharvester.state.RunHistory;
import io.invoiceharvester.state.StateDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.quartz.SchedulerException;

/** The `run` service only: its schedule (clustered on PostgreSQL), health checks, metrics and route reload. */
public class ServiceBeans implements CamelConfiguration {

    /** On PostgreSQL the schedule fires on one instance of a cluster (Quartz's JDBC job store); on H2, Quartz's default. */
    @BindToRegistry
    public QuartzComponent quartz(StateDatabase state) {
        if (!state.isPostgresql()) {
            return null;
        }
        QuartzComponent quartz = new QuartzComponent();
        try {
            quartz.setSchedulerFactory(ClusteredSchedule.factory(state.unfencedDataSource(), 5000));
        } catch (SchedulerException e) {
            throw new ConfigException("harvester.state.url: the clustered schedule cannot start (" + e.getMessage() + ")");
        }
        return quartz;
    }

    /** The harvester's health checks next to Camel's, and its gauges on the Prometheus registry. */
    @Override
    public void configure(CamelContext context) throws Exception {
        StateDatabase state = context.getRegistry().findSingleByType(StateDatabase.class);
        RunHistory history = context.getRegistry().findSingleByType(RunHistory.class);
        HarvesterSettings settings = context.getRegistry().findSingleByType(HarvesterSettings.class);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        HarvesterHealth.checks(state.dataSource(), history, settings.credentialFiles()).forEach(health::register);
        RouteHealth routes = new RouteHealth(context);
        health.register(routes);
        if (settings.camel().reload()) {
            context.addService(new RouteReload(settings.camel().routesDir()));
        }
        HarvesterMetrics metrics = context.getRegistry().findSingleByType(HarvesterMetrics.class);
        metrics.attach(() -> context.getRegistry().findSingleByType(MeterRegistry.class),
                context.getRegistry().findSingleByType(ProgressWatch.class));
        // the alerts' series from start-up on, not from a run's first event (the registry exists once Camel runs)
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // fully started is when the metrics registry is bound
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                metrics.start();
                routes.started();
            }
        });
    }
}
