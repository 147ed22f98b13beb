package io.invoiceharvester.beans;

import io.invoiceharvester.config.CamelProperties;
import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.state.StateDatabase;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.cli.connector.DefaultCliConnectorFactory;
import org.apache.camel.spi.CliConnectorFactory;

/**
 * What a command opens before Camel starts, bound first: the validated settings and the state database.
 * {@link #all} lists every area's beans after them, in the order they build on each other.
 */
public class CommandBeans implements CamelConfiguration {

    private final HarvesterSettings settings;
    private final StateDatabase state;
    private final boolean service;

    public CommandBeans(HarvesterSettings settings, StateDatabase state, boolean service) {
        this.settings = settings;
        this.state = state;
        this.service = service;
    }

    /** The configuration, validated (config/HarvesterSettings). */
    @BindToRegistry
    public HarvesterSettings harvesterSettings() {
        return settings;
    }

    /** The state database (H2 or PostgreSQL), migrated; the command closes it after Camel. */
    @BindToRegistry
    public StateDatabase stateDatabase() {
        return state;
    }

    /**
     * Placeholders resolve from the harvester's properties only (CamelProperties), before any route is read. Camel's
     * command line connector (`camel ps`, `camel get`) is on for the `run` service with harvester.management.camel-cli
     * only: found on the class path it would start for every command (a factory bean comes too late for Camel Main).
     */
    @Override
    public void configure(CamelContext camelContext) {
        CamelProperties.placeholders(camelContext);
        DefaultCliConnectorFactory connector = new DefaultCliConnectorFactory();
        connector.setEnabled(service && settings.camel().camelCli());
        connector.setRuntime("Camel Main (invoice-harvester)");
        camelContext.getCamelContextExtension().addContextPlugin(CliConnectorFactory.class, connector);
    }

    /**
     * The beans of a command: these two, then each area's. As instances, which Camel processes in list
     * order (route tests bind the same list).
     *
     * @param service true for the `run` service: its schedule, health checks and metrics too
     */
    public static List<CamelConfiguration> all(HarvesterSettings settings, StateDatabase state, boolean service) {
        List<CamelConfiguration> all = new ArrayList<>(List.of(new CommandBeans(settings, state, service), new StateBeans(),
                new HttpBeans(), new OpsBeans(), new RunBeans(), new LedgerBeans(), new DeliveryBeans(), new SummaryBeans(),
                new AkamaiBeans(), new FastlyBeans()));
        if (service) {
            all.add(new ServiceBeans());
        }
        return all;
    }
}
