package io.invoiceharvester.cli;

import io.invoiceharvester.beans.CommandBeans;
import io.invoiceharvester.config.CamelProperties;
import io.invoiceharvester.config.ConfigException;
import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.edgegrid.EdgeGridCredentials;
import io.invoiceharvester.http.Outbound;
import io.invoiceharvester.ledger.LedgerExport;
import io.invoiceharvester.ledger.LedgerRebuild;
import io.invoiceharvester.run.FileTask;
import io.invoiceharvester.run.RunItem;
import io.invoiceharvester.run.RunPlan;
import io.invoiceharvester.run.RunReport;
import io.invoiceharvester.run.RunRequest;
import io.invoiceharvester.state.DeliveryLog;
import io.invoiceharvester.state.RunLock;
import io.invoiceharvester.state.StateDatabase;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * Validates the configuration, opens the state database and starts Camel Main with the beans of
 * io.invoiceharvester.beans (one configuration class per area; a bean's name is its factory method's).
 * Every configuration problem is found here, before the first API call.
 */
public final class Harvester implements AutoCloseable {

    private final Main main;
    private final StateDatabase state;
    private final HarvesterSettings settings;

    /** The Akamai side as configured: null credentials when Akamai is disabled. */
    public record AkamaiSetup(EdgeGridCredentials credentials, String baseUrl, List<String> switchKeys) {
    }

    /** The Fastly side as configured: null token when Fastly is disabled. toString hides the token. */
    public record FastlySetup(String token, String baseUrl) {
        @Override
        public String toString() {
            return "FastlySetup[" + baseUrl + "]";
        }
    }

    private Harvester(Main main, StateDatabase state, HarvesterSettings settings) {
        this.main = main;
        this.state = state;
        this.settings = settings;
    }

    /** @param service true for `run`: the schedule route starts, with health checks and metrics */
    public static Harvester prepare(HarvesterConfig cfg, Map<String, String> env, boolean service) {
        HarvesterSettings s = HarvesterSettings.validate(cfg, env);
        Properties props = CamelProperties.of(cfg, s, service);
        StateDatabase state = StateDatabase.open(cfg.get("harvester.state.url"), cfg.get("harvester.state.username"),
                cfg.getSecret("harvester.state.password", null, env));
        Main main = new Main();
        main.setOverrideProperties(props);
        CommandBeans.all(s, state, service).forEach(main.configure()::addConfiguration);
        Harvester built = new Harvester(main, state, s);
        try {
            main.init(); // binds the beans: operator commands use some without starting the routes
        } catch (RuntimeException e) {
            built.close();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConfigException config) {
                    throw config;
                }
            }
            throw e;
        }
        return built;
    }

    public void start() {
        try {
            main.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("Camel did not start: " + e.getMessage(), e);
        }
        SignalStop.install(main::stop);
    }

    /**
     * One run, start to end.
     *
     * @throws RunLock.HeldException when another run or operator command holds the run lock
     */
    public RunReport harvest(RunRequest request) {
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            return template.requestBody("direct:harvest", request, RunReport.class);
        } catch (CamelExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A dry run for `plan`: lists, notes what a harvest would download, changes nothing. */
    public RunReport plan(RunRequest request) {
        RunReport report = new RunReport(UUID.randomUUID().toString(), request);
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            template.send("direct:plan", exchange -> exchange.setProperty(RunItem.RUN, report));
            return report;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops stored files again from the archive, for the operator's `redeliver` (who holds the run lock). */
    public RunReport redeliver(RunReport operator, List<FileTask> files) {
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            for (FileTask file : files) {
                template.send("direct:drop-pdf", exchange -> {
                    exchange.setProperty(RunItem.RUN, operator);
                    exchange.setProperty(RunItem.ITEM, file);
                    exchange.getIn().setBody(file);
                });
            }
            return operator;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The delivery records, for operator commands. */
    public DeliveryLog deliveryLog() {
        return bean("deliveryLog", DeliveryLog.class);
    }

    /** Sends the outbox now, for the operator's `outbox send` (who holds the run lock). */
    public RunReport sendOutbox(RunReport operator) {
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            template.send("direct:send-outbox", exchange -> exchange.setProperty(RunItem.RUN, operator));
            return operator;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The service: blocks until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void runUntilStopped() throws Exception {
        SignalStop.install(main::completed);
        main.run();
    }

    /** Starts like {@link #runUntilStopped} and stops as soon as the routes are up. */
    public void runUntilStarted() throws Exception {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                main.completed();
            }
        });
        main.run();
    }

    /** The running Camel context, for operations and tests. */
    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public RunPlan planner() {
        return bean("runPlan", RunPlan.class);
    }

    /** For operator commands: the lock they take, and the ledger's beans they call without Camel. */
    public RunLock runLock() {
        return bean("runLock", RunLock.class);
    }

    /** How provider calls leave the server (proxy, trust), for the check command's own client. */
    public Outbound outbound() {
        return settings.outbound();
    }

    public LedgerRebuild ledgerRebuild() {
        return bean("ledgerRebuild", LedgerRebuild.class);
    }

    public LedgerExport ledgerExport() {
        return bean("ledgerExport", LedgerExport.class);
    }

    public AkamaiSetup akamai() {
        return new AkamaiSetup(settings.credentials(), settings.baseUrl(), settings.switchKeys());
    }

    public FastlySetup fastly() {
        return new FastlySetup(settings.fastly() ? settings.fastlyToken() : null, settings.fastlyBaseUrl());
    }

    private <T> T bean(String name, Class<T> type) {
        return main.getCamelContext().getRegistry().lookupByNameAndType(name, type);
    }

    @Override
    public void close() {
        try {
            main.stop(); // closes the beans that hold threads (their destroyMethod)
        } finally {
            state.close();
        }
    }
}
