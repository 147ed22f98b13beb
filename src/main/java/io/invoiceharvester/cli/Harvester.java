package io.invoiceharvester.cli;

import io.invoiceharvester.akamai.AkamaiRequests;
import io.invoiceharvester.beans.CommandBeans;
import io.invoiceharvester.config.CamelProperties;
import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.config.RenamedNames;
import io.invoiceharvester.config.RouteProblem;
import io.invoiceharvester.fastly.FastlyRequests;
import io.invoiceharvester.http.ProviderRequest;
import io.invoiceharvester.ledger.export.LedgerExport;
import io.invoiceharvester.ledger.table.LedgerRebuild;
import io.invoiceharvester.model.ConfigException;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunFailedException;
import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.run.RunLifecycle;
import io.invoiceharvester.run.RunPlan;
import io.invoiceharvester.state.DeliveryLog;
import io.invoiceharvester.state.RunLock;
import io.invoiceharvester.state.StateDatabase;
import java.io.Closeable;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
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

    /** How long a run in flight may take to finish when the process is asked to stop, and again to end early. */
    static final long WIND_DOWN_SECONDS = 20;

    private final Main main;
    private final StateDatabase state;
    private final HarvesterSettings settings;

    private Harvester(Main main, StateDatabase state, HarvesterSettings settings) {
        this.main = main;
        this.state = state;
        this.settings = settings;
    }

    /** @param service true for `run`: the schedule route starts, with health checks and metrics */
    public static Harvester prepare(HarvesterConfig cfg, Map<String, String> env, boolean service) {
        HarvesterSettings s = HarvesterSettings.validate(cfg, env);
        Properties props = CamelProperties.of(cfg, s, service);
        StateDatabase state = s.state().open();
        Main main = new Main();
        main.setOverrideProperties(props);
        CommandBeans.all(s, state, service).forEach(main.configure()::addConfiguration);
        Harvester built = new Harvester(main, state, s);
        try {
            main.init(); // binds the beans: operator commands use some without starting the routes
            if (s.camel().routesDir() != null) { // only an edited copy can differ from the packaged routes
                RenamedNames.check(main.getCamelContext());
                BeanCalls.check(main.getCamelContext());
            }
        } catch (Exception e) {
            RuntimeException problem = built.configProblemOr(e, e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e));
            built.close();
            throw problem;
        }
        return built;
    }

    public void start() {
        try {
            main.start();
        } catch (Exception e) {
            RuntimeException problem = configProblemOr(e, new IllegalStateException("Camel did not start: " + e.getMessage(), e));
            close();
            throw problem;
        }
        SignalStop.install(() -> windDownThen(main::stop));
    }

    /**
     * A configuration problem behind a failed start (a bean's, or a route that cannot be read or created), so
     * that it ends as one: exit 2, named in one line. Asked before Camel stops: the routes' model says where.
     */
    private RuntimeException configProblemOr(Exception e, RuntimeException otherwise) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException config) {
                return config;
            }
        }
        ConfigException routes = RouteProblem.of(main.getCamelContext(), e);
        return routes != null ? routes : otherwise;
    }

    /**
     * One run, start to end.
     *
     * @throws RunLock.HeldException when another run or operator command holds the run lock
     */
    public RunState harvest(RunRequest request) {
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            return template.requestBody("direct:harvest", request, RunState.class);
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof RunFailedException failed) {
                return failed.run(); // ended and reported; its exit code says how
            }
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A dry run for `plan`: lists, notes what a harvest would download, changes nothing. */
    public RunState plan(RunRequest request) {
        RunState run = new RunState(UUID.randomUUID().toString(), request);
        send("direct:plan", run, null);
        return run;
    }

    /** Drops stored files again from the archive, for the operator's `redeliver` (who holds the run lock). */
    public RunState redeliver(RunState operator, List<ListedFile> files) {
        send("direct:drop-pdfs", operator, files);
        return operator;
    }

    /** One exchange of a run, as the routes expect it: the run in its property, the body given. */
    private void send(String endpoint, RunState run, Object body) {
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            template.send(endpoint, exchange -> {
                exchange.setProperty(ExchangeProperties.RUN, run);
                exchange.getIn().setBody(body);
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One read-only list call per enabled provider, through the harvest's own provider call (its client,
     * timeouts, caps and credentials): `check`. Each outcome is the response's status or the failure.
     */
    public Map<String, Object> probe() {
        Map<String, Object> outcomes = new LinkedHashMap<>();
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            if (settings.akamai().enabled()) {
                Listing listing = new Listing("akamai", month, settings.akamai().switchKeys().isEmpty() ? null
                        : settings.akamai().switchKeys().get(0));
                outcomes.put(listing.toString(), call(template, "direct:akamai-get",
                        bean("akamaiRequests", AkamaiRequests.class).list(listing)));
            }
            if (settings.fastly().enabled()) {
                Listing listing = new Listing("fastly", month, null);
                outcomes.put(listing.toString(), call(template, "direct:fastly-get",
                        bean("fastlyRequests", FastlyRequests.class).probe(listing)));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return outcomes;
    }

    /** The status a call answered with (its body closed unread), or its failure. */
    private static Object call(ProducerTemplate template, String endpoint, ProviderRequest request) {
        Exchange done = template.send(endpoint, exchange -> exchange.setProperty(ExchangeProperties.REQUEST, request));
        if (done.getMessage().getBody() instanceof Closeable body) {
            try {
                body.close();
            } catch (IOException e) {
                // the answer is its status
            }
        }
        return done.getException() != null ? done.getException()
                : done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    /** The delivery records, for operator commands. */
    public DeliveryLog deliveryLog() {
        return bean("deliveryLog", DeliveryLog.class);
    }

    /**
     * Rebuilds ledger months (every month with a stored data file when none is given) from the archive and exports
     * them, for the operator's `ledger rebuild` (who holds the run lock); the months it rebuilt.
     */
    public List<YearMonth> rebuildLedger(RunState operator, List<YearMonth> months) throws SQLException {
        List<YearMonth> rebuilt = bean("ledgerRebuild", LedgerRebuild.class).months(months);
        send("direct:rebuild-ledger", operator, rebuilt);
        send("direct:export-ledger", operator, null);
        return rebuilt;
    }

    /** Sends the outbox now, for the operator's `outbox send` (who holds the run lock). */
    public RunState sendOutbox(RunState operator) {
        send("direct:send-outbox", operator, null);
        return operator;
    }

    /** The service: blocks until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void runUntilStopped() throws Exception {
        SignalStop.install(() -> windDownThen(main::completed));
        run();
    }

    /** Starts like {@link #runUntilStopped} and stops as soon as the routes are up. */
    public void runUntilStarted() throws Exception {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                main.completed();
            }
        });
        run();
    }

    private void run() throws Exception {
        ManagementPort.checkFree(settings.camel());
        try {
            main.run();
        } catch (Exception e) {
            throw configProblemOr(e, e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e));
        }
    }

    /**
     * On SIGTERM: a run in flight gets {@value #WIND_DOWN_SECONDS} s to finish, and as long again to end as a
     * run if it must stop early (RunLifecycle.windDown); then Camel stops (its own shutdown timeout is
     * 30 s, for what else is in flight). All of it within the systemd unit's TimeoutStopSec (60 s) in the
     * usual case; `docker stop` needs `-t 60`.
     */
    private void windDownThen(Runnable stop) {
        try {
            bean("runLifecycle", RunLifecycle.class).windDown(Duration.ofSeconds(WIND_DOWN_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop.run();
        }
    }

    /** The running Camel context, for operations and tests. */
    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public RunPlan runPlan() {
        return bean("runPlan", RunPlan.class);
    }

    /** For operator commands: the lock they take, and the ledger's beans they call without Camel. */
    public RunLock runLock() {
        return bean("runLock", RunLock.class);
    }

    public LedgerExport ledgerExport() {
        return bean("ledgerExport", LedgerExport.class);
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
