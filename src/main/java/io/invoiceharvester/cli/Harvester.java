package io.invoiceharvester.cli;

import io.invoiceharvester.akamai.AkamaiRequests;
import io.invoiceharvester.akamai.InvoiceListParser;
import io.invoiceharvester.config.ConfigException;
import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.config.Problems;
import io.invoiceharvester.delivery.Archive;
import io.invoiceharvester.delivery.ContentValidator;
import io.invoiceharvester.delivery.Downloads;
import io.invoiceharvester.delivery.Leftovers;
import io.invoiceharvester.ops.HarvesterHealth;
import io.invoiceharvester.ops.HarvesterMetrics;
import io.invoiceharvester.ops.ProgressWatch;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import io.invoiceharvester.delivery.SftpPassword;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import io.invoiceharvester.delivery.Quarantine;
import io.invoiceharvester.edgegrid.EdgeGridInterceptor;
import io.invoiceharvester.fastly.FastlyInvoices;
import io.invoiceharvester.fastly.FastlyKeyInterceptor;
import io.invoiceharvester.fastly.FastlyRequests;
import io.invoiceharvester.fastly.MonthToDate;
import io.invoiceharvester.http.ApiClientConfigurer;
import io.invoiceharvester.http.DisabledProvider;
import io.invoiceharvester.http.Outbound;
import org.apache.camel.component.http.HttpComponent;
import io.invoiceharvester.http.RequestPacer;
import io.invoiceharvester.http.RequestSlots;
import io.invoiceharvester.run.RateLimitWait;
import io.invoiceharvester.edgegrid.EdgeGridCredentials;
import io.invoiceharvester.edgegrid.RequestSigner;
import io.invoiceharvester.ledger.Ledger;
import io.invoiceharvester.ledger.LedgerExport;
import io.invoiceharvester.ledger.LedgerIngest;
import io.invoiceharvester.ledger.LedgerRebuild;
import io.invoiceharvester.summary.Outbox;
import io.invoiceharvester.summary.SummaryMail;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import io.invoiceharvester.run.Retries;
import io.invoiceharvester.run.ContentFilter;
import io.invoiceharvester.run.FailureReport;
import io.invoiceharvester.run.FileTask;
import io.invoiceharvester.run.RunItem;
import io.invoiceharvester.run.RunLifecycle;
import io.invoiceharvester.run.RunPlan;
import io.invoiceharvester.run.RunProgress;
import io.invoiceharvester.run.WorkPools;
import io.invoiceharvester.run.RunReport;
import io.invoiceharvester.run.RunRequest;
import io.invoiceharvester.state.SummaryRecords;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.processor.aggregate.UseOriginalAggregationStrategy;
import io.invoiceharvester.state.DeliveryLog;
import io.invoiceharvester.state.RunHistory;
import io.invoiceharvester.state.ClusteredSchedule;
import io.invoiceharvester.state.QuarantineLog;
import io.invoiceharvester.state.RunLock;
import org.apache.camel.component.quartz.QuartzComponent;
import io.invoiceharvester.state.StateDatabase;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/**
 * Validates the configuration, opens the state database, binds the beans the routes call by name,
 * and runs Camel Main. Every configuration problem is found here, before the first API call.
 */
public final class Harvester implements AutoCloseable {

    private final Main main;
    private final StateDatabase state;
    private final RunPlan planner;
    private final AkamaiSetup akamai;
    private final FastlySetup fastly;
    private RunLock runLock;
    private Outbound outbound;
    private DeliveryLog deliveryLog;
    private LedgerRebuild ledgerRebuild;
    private LedgerExport ledgerExport;

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

    private Harvester(Main main, StateDatabase state, RunPlan planner, AkamaiSetup akamai, FastlySetup fastly) {
        this.main = main;
        this.state = state;
        this.planner = planner;
        this.akamai = akamai;
        this.fastly = fastly;
    }

    /** @param service true for `run`: the schedule route is loaded too */
    public static Harvester prepare(HarvesterConfig cfg, Map<String, String> env, boolean service) {
        HarvesterSettings s = HarvesterSettings.validate(cfg, env);
        Problems problems = new Problems();

        StateDatabase state = StateDatabase.open(cfg.get("harvester.state.url"), cfg.get("harvester.state.username"),
                cfg.getSecret("harvester.state.password", null, env));
        RunPlan planner = new RunPlan(s.monthsBack(), s.zone(), s.providers(), s.switchKeys(), s.monthToDate(), Clock.systemUTC());

        Main main = new Main();
        Properties props = cfg.toCamelProperties();
        props.setProperty("harvester.akamai.base-url", s.akamai() ? s.baseUrl() : DisabledProvider.BASE_URL);
        props.setProperty("harvester.fastly.base-url", s.fastlyBaseUrl());
        props.setProperty("harvester.drop.uri", s.dropEndpoint());
        if (cfg.isSet("harvester.routes.dir")) {
            Path routes = cfg.getPath("harvester.routes.dir").toAbsolutePath();
            if (!Files.isDirectory(routes)) {
                state.close();
                throw new ConfigException("harvester.routes.dir: " + routes + " is not a folder");
            }
            props.setProperty("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
        }
        if (service) {
            managementServer(props, cfg, problems);
        } else {
            props.setProperty("camel.main.routes-exclude-pattern", "**/schedule.camel.yaml");
        }
        main.setOverrideProperties(props);

        DeliveryLog deliveryLog = new DeliveryLog(state.dataSource());
        Ledger ledger = new Ledger(state.dataSource());
        HarvesterMetrics metrics = new HarvesterMetrics(ledger);
        RunHistory history = new RunHistory(state.dataSource());
        FailureReport failures = new FailureReport(history, metrics);
        Outbox outbox = new Outbox(s.output(), failures);
        main.bind("runPlan", planner);
        main.bind("harvesterMetrics", metrics);
        RunLock runLock = new RunLock(state.dataSource(), s.lockLease());
        RequestSlots slots = new RequestSlots(s.concurrency());
        ProgressWatch progress = new ProgressWatch(slots, s.progressInterval(), System.console() != null ? System.out : null);
        main.bind("progressWatch", progress);
        main.bind("runLifecycle", new RunLifecycle(runLock, history, failures, metrics, s.lockLease(), progress, slots));
        main.bind("failureReport", failures);
        main.bind("runItem", new RunItem());
        main.bind("keepRunExchange", new UseOriginalAggregationStrategy(null, false));
        ContentFilter contentFilter = new ContentFilter(s.contentTypes());
        main.bind("contentFilter", contentFilter);
        main.bind("runProgress", new RunProgress(metrics, contentFilter));
        Retries retries = new Retries(s.attempts(), s.initialDelay(), s.maxWait());
        main.bind("retries", retries);
        main.bind("rateLimitWait", new RateLimitWait(s.maxWait(), Clock.systemUTC(), retries));
        main.bind("deliveryLog", deliveryLog);
        main.bind("downloads", new Downloads(s.output(), s.maxBytes()));
        main.bind("contentValidator", new ContentValidator());
        main.bind("archive", new Archive(s.output()));
        QuarantineLog quarantineLog = new QuarantineLog(state.dataSource());
        main.bind("quarantineLog", quarantineLog);
        main.bind("quarantine", new Quarantine(s.output(), quarantineLog));
        String dropUri = cfg.get("harvester.drop.uri");
        if (dropUri.startsWith("sftp:")) {
            SftpPassword sftpPassword = new SftpPassword(cfg.getSecret("harvester.drop.sftp-password", null, env));
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport configured) {
                    configured.getCamelContext().getCamelContextExtension().registerEndpointCallback(sftpPassword);
                }
            });
        }
        main.bind("leftovers", new Leftovers(s.output(), dropUri.startsWith("file:") ? HarvesterSettings.localDrop(dropUri) : null));
        main.bind("invoiceListParser", new InvoiceListParser());
        LedgerIngest ledgerIngest = new LedgerIngest(ledger, failures, contentFilter);
        LedgerExport ledgerExport = new LedgerExport(state.dataSource(), s.output(), s.ledgerFormats(), failures);
        main.bind("ledgerIngest", ledgerIngest);
        LedgerRebuild ledgerRebuild = new LedgerRebuild(state.dataSource(), ledgerIngest, failures);
        main.bind("ledgerRebuild", ledgerRebuild);
        main.bind("ledgerExport", ledgerExport);
        main.bind("summaryMail", new SummaryMail(ledger, ledgerExport, new SummaryRecords(state.dataSource()), outbox, s.mailWhen(),
                cfg.get("harvester.mail.from"), s.mailTo(), s.mailMaxBytes()));
        main.bind("outbox", outbox);
        main.bind("smtp", smtp(cfg, s.smtpPassword(), s.starttls()));
        main.bind("akamaiRequests", new AkamaiRequests(s.akamai() ? s.baseUrl() : DisabledProvider.BASE_URL));
        main.bind("akamaiSigning", new ApiClientConfigurer(s.akamai()
                ? new EdgeGridInterceptor(new RequestSigner(s.credentials()), s.baseUrl()) : new DisabledProvider("harvester.akamai.enabled"),
                s.outbound(), slots.gate(new RequestPacer(s.requestsPerMinute()), request -> EdgeGridInterceptor.account(request.getRequestUri()))));
        WorkPools pools = new WorkPools(s.concurrency(), s.storeConcurrency());
        main.bind("workPools", pools);
        main.bind("listingPool", pools.listings());
        main.bind("downloadPool", pools.downloads());
        main.bind("storePool", pools.stores());
        main.bind("fastlyRequests", new FastlyRequests(s.fastlyBaseUrl()));
        main.bind("fastlyInvoices", new FastlyInvoices());
        main.bind("monthToDate", new MonthToDate(state.dataSource()));
        main.bind("fastlyAuth", new ApiClientConfigurer(s.fastly()
                ? new FastlyKeyInterceptor(s.fastlyToken(), s.fastlyBaseUrl()) : new DisabledProvider("harvester.fastly.enabled"), s.outbound(),
                slots.gate()));
        if (s.outbound().sslContextParameters() != null) {
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport configured) {
                    // the extra trust store, on the components both APIs are called through
                    for (String scheme : List.of("http", "https")) {
                        configured.getCamelContext().getComponent(scheme, HttpComponent.class)
                                .setSslContextParameters(s.outbound().sslContextParameters());
                    }
                }
            });
        }
        if (service && state.isPostgresql()) {
            QuartzComponent quartz = new QuartzComponent();
            try {
                quartz.setSchedulerFactory(ClusteredSchedule.factory(state.dataSource(), 5000));
            } catch (org.quartz.SchedulerException e) {
                state.close();
                throw new ConfigException("harvester.state.url: the clustered schedule cannot start (" + e.getMessage() + ")");
            }
            main.bind("quartz", quartz);
        }
        if (service) {
            List<Path> credentialFiles = new ArrayList<>();
            if (s.akamai()) {
                credentialFiles.add(cfg.getPath("harvester.akamai.edgerc"));
            }
            if (s.fastly() && cfg.isSet("harvester.fastly.api-token-file")) {
                credentialFiles.add(cfg.getPath("harvester.fastly.api-token-file"));
            }
            List<HealthCheck> checks = HarvesterHealth.checks(state.dataSource(), history, credentialFiles);
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport configured) {
                    CamelContext context = configured.getCamelContext();
                    HealthCheckRegistry health = HealthCheckRegistry.get(context);
                    checks.forEach(health::register);
                    metrics.attach(() -> context.getRegistry().findSingleByType(MeterRegistry.class), progress);
                }
            });
        }
        Harvester built = new Harvester(main, state, planner, new AkamaiSetup(s.credentials(), s.baseUrl(), s.switchKeys()),
                new FastlySetup(s.fastly() ? s.fastlyToken() : null, s.fastlyBaseUrl()));
        built.runLock = runLock;
        built.deliveryLog = deliveryLog;
        built.outbound = s.outbound();
        built.ledgerRebuild = ledgerRebuild;
        built.ledgerExport = ledgerExport;
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
        RunReport report = new RunReport(java.util.UUID.randomUUID().toString(), request);
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            template.send("direct:plan", exchange -> exchange.setProperty(io.invoiceharvester.run.RunItem.RUN, report));
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
                    exchange.setProperty(io.invoiceharvester.run.RunItem.RUN, operator);
                    exchange.setProperty(io.invoiceharvester.run.RunItem.ITEM, file);
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
        return deliveryLog;
    }

    /** Sends the outbox now, for the operator's `outbox send` (who holds the run lock). */
    public RunReport sendOutbox(RunReport operator) {
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            template.send("direct:send-outbox", exchange -> exchange.setProperty(io.invoiceharvester.run.RunItem.RUN, operator));
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
    public org.apache.camel.CamelContext camelContext() {
        return main.getCamelContext();
    }

    public RunPlan planner() {
        return planner;
    }

    /** For operator commands: the lock they take, and the ledger's beans they call without Camel. */
    public RunLock runLock() {
        return runLock;
    }

    /** How provider calls leave the server (proxy, trust), for the check command's own client. */
    public Outbound outbound() {
        return outbound;
    }

    public LedgerRebuild ledgerRebuild() {
        return ledgerRebuild;
    }

    public LedgerExport ledgerExport() {
        return ledgerExport;
    }

    public AkamaiSetup akamai() {
        return akamai;
    }

    public FastlySetup fastly() {
        return fastly;
    }

    @Override
    public void close() {
        try {
            main.stop();
        } finally {
            WorkPools pools = main.getCamelContext() == null ? null
                    : main.getCamelContext().getRegistry().lookupByNameAndType("workPools", WorkPools.class);
            if (pools != null) {
                pools.close();
            }
            ProgressWatch progress = main.getCamelContext() == null ? null
                    : main.getCamelContext().getRegistry().lookupByNameAndType("progressWatch", ProgressWatch.class);
            if (progress != null) {
                progress.close();
            }
            state.close();
        }
    }

    /**
     * The `run` service's management server on harvester.management.host:port: /observe/health (routes
     * and the harvester's checks), /observe/metrics (Prometheus), /observe/jolokia (read-only policy).
     */
    private static void managementServer(Properties props, HarvesterConfig cfg, Problems problems) {
        int port = problems.check(() -> cfg.getInt("harvester.management.port", 0, 65535), 9876);
        props.setProperty("camel.management.enabled", "true");
        String host = cfg.get("harvester.management.host");
        if (!HarvesterSettings.isLoopback(host)) {
            LoggerFactory.getLogger(Harvester.class).warn("harvester.management.host is {}, not loopback: health and metrics"
                    + " answer other machines, unencrypted and without authentication (Jolokia still answers this machine"
                    + " only). Keep it on 127.0.0.1 and put a reverse proxy with TLS and authentication in front"
                    + " (docs/operations.md, 'The management port').", host);
        }
        props.setProperty("camel.management.host", host);
        props.setProperty("camel.management.port", Integer.toString(port));
        props.setProperty("camel.management.healthCheckEnabled", "true");
        props.setProperty("camel.health.exposureLevel", "full");
        props.setProperty("camel.management.metricsEnabled", "true");
        props.setProperty("camel.management.jolokiaEnabled", "true");
        props.setProperty("camel.metrics.enabled", "true");
        problems.throwIfAny();
    }

    /** The SMTP component with its credentials set here, so no secret appears in an endpoint URI. */
    private static MailComponent smtp(HarvesterConfig cfg, String password, boolean starttls) {
        MailConfiguration conf = new MailConfiguration();
        if (cfg.isSet("harvester.mail.smtp-username")) {
            conf.setUsername(cfg.get("harvester.mail.smtp-username"));
            conf.setPassword(password);
        }
        conf.setConnectionTimeout(cfg.getInt("harvester.http.connect-timeout", 1, 3_600_000));
        Properties javaMail = new Properties();
        javaMail.setProperty("mail.smtp.starttls.enable", Boolean.toString(starttls));
        javaMail.setProperty("mail.smtp.starttls.required", Boolean.toString(starttls));
        javaMail.setProperty("mail.smtp.timeout", cfg.get("harvester.http.read-timeout"));
        conf.setAdditionalJavaMailProperties(javaMail);
        MailComponent component = new MailComponent();
        component.setConfiguration(conf);
        return component;
    }

}
