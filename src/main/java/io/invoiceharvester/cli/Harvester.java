package io.invoiceharvester.cli;

import io.invoiceharvester.akamai.AkamaiRequests;
import io.invoiceharvester.akamai.InvoiceListParser;
import io.invoiceharvester.config.ConfigException;
import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.config.Problems;
import io.invoiceharvester.delivery.Archive;
import io.invoiceharvester.delivery.ContentValidator;
import io.invoiceharvester.delivery.Downloads;
import io.invoiceharvester.delivery.DropUri;
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
import io.invoiceharvester.edgegrid.EdgercReader;
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
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.quartz.CronExpression;
import org.slf4j.LoggerFactory;

/**
 * Validates the configuration, opens the state database, binds the beans the routes call by name,
 * and runs Camel Main. Every configuration problem is found here, before the first API call.
 */
public final class Harvester implements AutoCloseable {

    static final Set<String> CONTENT_TYPES = Set.of("application/pdf", "text/csv", "application/json");

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
        Problems problems = new Problems();
        int monthsBack = problems.check(() -> cfg.getInt("harvester.schedule.months-back", 0, 120), 1);
        ZoneId zone = problems.check(() -> zone(cfg), ZoneId.of("UTC"));
        problems.check(() -> cron(cfg), null);
        int concurrency = problems.check(() -> cfg.getInt("harvester.concurrency", 1, 64), 4);
        int storeConcurrency = problems.check(() -> cfg.getInt("harvester.store-concurrency", 1, 64), 2);
        int requestsPerMinute = problems.check(() -> cfg.getInt("harvester.akamai.requests-per-minute", 1, 1_000_000), 500);
        long maxBytes = problems.check(() -> cfg.getLong("harvester.download.max-bytes", 1), 1L);
        int attempts = problems.check(() -> cfg.getInt("harvester.retry.max-attempts", 1, 50), 1);
        long initialDelay = problems.check(() -> cfg.getLong("harvester.retry.initial-delay", 0), 0L);
        Duration maxWait = problems.check(() -> duration(cfg, "harvester.retry.max-wait"), Duration.ZERO);
        Duration progressInterval = problems.check(() -> duration(cfg, "harvester.progress.interval"), Duration.ofSeconds(30));
        Duration lockLease = problems.check(() -> duration(cfg, "harvester.run-lock.lease"), Duration.ofMinutes(5));
        problems.check(() -> cfg.getInt("harvester.http.connect-timeout", 1, 3_600_000), 0);
        problems.check(() -> cfg.getInt("harvester.http.read-timeout", 1, 3_600_000), 0);
        String dropEndpoint = problems.check(() -> dropUri(cfg, env), "");
        Outbound outbound = problems.check(() -> outbound(cfg, env), Outbound.direct());
        String mailWhen = problems.check(() -> oneOf(cfg, "harvester.mail.when", "always", "changes", "never"), "never");
        List<String> mailTo = cfg.getList("harvester.mail.to");
        if (cfg.isSet("harvester.mail.smtp-host") && mailTo.isEmpty() && !"never".equals(mailWhen)) {
            problems.add("harvester.mail.to: empty, but harvester.mail.smtp-host is set; name the summary's recipients");
        }
        problems.check(() -> cfg.getInt("harvester.mail.smtp-port", 1, 65535), 0);
        long mailMaxBytes = problems.check(() -> cfg.getLong("harvester.mail.max-bytes", 16 * 1024), 0L);
        boolean starttls = problems.check(() -> cfg.getBoolean("harvester.mail.smtp-starttls"), true);
        String smtpPassword = problems.check(() -> cfg.getSecret("harvester.mail.smtp-password", null, env), "");
        Path output = problems.check(() -> outputDir(cfg), null);
        List<String> ledgerFormats = problems.check(() -> ledgerFormats(cfg), List.of("csv"));

        List<String> providers = new ArrayList<>();
        boolean akamai = problems.check(() -> cfg.getBoolean("harvester.akamai.enabled"), false);
        boolean fastly = problems.check(() -> cfg.getBoolean("harvester.fastly.enabled"), false);
        EdgeGridCredentials credentials = null;
        String baseUrl = "";
        List<String> switchKeys = List.of();
        Set<String> contentTypes = Set.of();
        if (akamai) {
            providers.add("akamai");
            credentials = problems.check(() -> EdgercReader.read(cfg.getPath("harvester.akamai.edgerc"),
                    cfg.get("harvester.akamai.section")), null);
            EdgeGridCredentials c = credentials;
            baseUrl = problems.check(() -> akamaiBaseUrl(cfg, c), "");
            switchKeys = problems.check(() -> switchKeys(cfg), List.of());
            contentTypes = problems.check(() -> contentTypes(cfg), Set.of());
        }
        String fastlyToken = "";
        String fastlyBaseUrl = DisabledProvider.BASE_URL;
        boolean monthToDate = false;
        if (fastly) {
            providers.add("fastly");
            fastlyToken = problems.check(() -> fastlyToken(cfg, env), "");
            fastlyBaseUrl = problems.check(() -> apiBaseUrl("harvester.fastly.base-url", cfg.get("harvester.fastly.base-url")), "");
            monthToDate = problems.check(() -> cfg.getBoolean("harvester.fastly.month-to-date"), false);
        }
        if (!akamai && !fastly) {
            problems.add("harvester.akamai.enabled / harvester.fastly.enabled: no provider is enabled");
        }
        problems.throwIfAny();

        StateDatabase state = StateDatabase.open(cfg.get("harvester.state.url"), cfg.get("harvester.state.username"),
                cfg.getSecret("harvester.state.password", null, env));
        RunPlan planner = new RunPlan(monthsBack, zone, providers, switchKeys, monthToDate, Clock.systemUTC());

        Main main = new Main();
        Properties props = cfg.toCamelProperties();
        props.setProperty("harvester.akamai.base-url", akamai ? baseUrl : DisabledProvider.BASE_URL);
        props.setProperty("harvester.fastly.base-url", fastlyBaseUrl);
        props.setProperty("harvester.drop.uri", dropEndpoint);
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
        Outbox outbox = new Outbox(output, failures);
        main.bind("runPlan", planner);
        main.bind("harvesterMetrics", metrics);
        RunLock runLock = new RunLock(state.dataSource(), lockLease);
        RequestSlots slots = new RequestSlots(concurrency);
        ProgressWatch progress = new ProgressWatch(slots, progressInterval, System.console() != null ? System.out : null);
        main.bind("progressWatch", progress);
        main.bind("runLifecycle", new RunLifecycle(runLock, history, failures, metrics, lockLease, progress, slots));
        main.bind("failureReport", failures);
        main.bind("runItem", new RunItem());
        main.bind("keepRunExchange", new UseOriginalAggregationStrategy(null, false));
        ContentFilter contentFilter = new ContentFilter(contentTypes);
        main.bind("contentFilter", contentFilter);
        main.bind("runProgress", new RunProgress(metrics, contentFilter));
        Retries retries = new Retries(attempts, initialDelay, maxWait);
        main.bind("retries", retries);
        main.bind("rateLimitWait", new RateLimitWait(maxWait, Clock.systemUTC(), retries));
        main.bind("deliveryLog", deliveryLog);
        main.bind("downloads", new Downloads(output, maxBytes));
        main.bind("contentValidator", new ContentValidator());
        main.bind("archive", new Archive(output));
        QuarantineLog quarantineLog = new QuarantineLog(state.dataSource());
        main.bind("quarantineLog", quarantineLog);
        main.bind("quarantine", new Quarantine(output, quarantineLog));
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
        main.bind("leftovers", new Leftovers(output, dropUri.startsWith("file:") ? localDrop(dropUri) : null));
        main.bind("invoiceListParser", new InvoiceListParser());
        LedgerIngest ledgerIngest = new LedgerIngest(ledger, failures, contentFilter);
        LedgerExport ledgerExport = new LedgerExport(state.dataSource(), output, ledgerFormats, failures);
        main.bind("ledgerIngest", ledgerIngest);
        LedgerRebuild ledgerRebuild = new LedgerRebuild(state.dataSource(), ledgerIngest, failures);
        main.bind("ledgerRebuild", ledgerRebuild);
        main.bind("ledgerExport", ledgerExport);
        main.bind("summaryMail", new SummaryMail(ledger, ledgerExport, new SummaryRecords(state.dataSource()), outbox, mailWhen,
                cfg.get("harvester.mail.from"), mailTo, mailMaxBytes));
        main.bind("outbox", outbox);
        main.bind("smtp", smtp(cfg, smtpPassword, starttls));
        main.bind("akamaiRequests", new AkamaiRequests(akamai ? baseUrl : DisabledProvider.BASE_URL));
        main.bind("akamaiSigning", new ApiClientConfigurer(akamai
                ? new EdgeGridInterceptor(new RequestSigner(credentials), baseUrl) : new DisabledProvider("harvester.akamai.enabled"),
                outbound, slots.gate(new RequestPacer(requestsPerMinute), request -> EdgeGridInterceptor.account(request.getRequestUri()))));
        WorkPools pools = new WorkPools(concurrency, storeConcurrency);
        main.bind("workPools", pools);
        main.bind("listingPool", pools.listings());
        main.bind("downloadPool", pools.downloads());
        main.bind("storePool", pools.stores());
        main.bind("fastlyRequests", new FastlyRequests(fastlyBaseUrl));
        main.bind("fastlyInvoices", new FastlyInvoices());
        main.bind("monthToDate", new MonthToDate(state.dataSource()));
        main.bind("fastlyAuth", new ApiClientConfigurer(fastly
                ? new FastlyKeyInterceptor(fastlyToken, fastlyBaseUrl) : new DisabledProvider("harvester.fastly.enabled"), outbound,
                slots.gate()));
        if (outbound.sslContextParameters() != null) {
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport configured) {
                    // the extra trust store, on the components both APIs are called through
                    for (String scheme : List.of("http", "https")) {
                        configured.getCamelContext().getComponent(scheme, HttpComponent.class)
                                .setSslContextParameters(outbound.sslContextParameters());
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
            if (akamai) {
                credentialFiles.add(cfg.getPath("harvester.akamai.edgerc"));
            }
            if (fastly && cfg.isSet("harvester.fastly.api-token-file")) {
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
        Harvester harvester = new Harvester(main, state, planner, new AkamaiSetup(credentials, baseUrl, switchKeys),
                new FastlySetup(fastly ? fastlyToken : null, fastlyBaseUrl));
        harvester.runLock = runLock;
        harvester.deliveryLog = deliveryLog;
        harvester.outbound = outbound;
        harvester.ledgerRebuild = ledgerRebuild;
        harvester.ledgerExport = ledgerExport;
        return harvester;
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
        if (!isLoopback(host)) {
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

    /** The folder of a file: drop URI (its options cut off). */
    static Path localDrop(String fileUri) {
        String path = fileUri.substring("file:".length());
        int q = path.indexOf('?');
        return HarvesterConfig.expandHome(q < 0 ? path : path.substring(0, q));
    }

    private static List<String> ledgerFormats(HarvesterConfig cfg) {
        try {
            return LedgerExport.checkFormats(cfg.getList("harvester.ledger.formats"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("harvester.ledger.formats: " + e.getMessage());
        }
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.equalsIgnoreCase("localhost") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
    }

    private static Outbound outbound(HarvesterConfig cfg, Map<String, String> env) {
        String password = cfg.getSecret("harvester.http.truststore-password", null, env);
        Path truststore = cfg.isSet("harvester.http.truststore") ? cfg.getPath("harvester.http.truststore") : null;
        try {
            return Outbound.of(cfg.get("harvester.http.proxy"), truststore, password);
        } catch (IllegalArgumentException e) {
            throw new ConfigException((truststore != null && e.getMessage().startsWith(truststore.toString())
                    ? "harvester.http.truststore: " : "harvester.http.proxy: ") + e.getMessage());
        }
    }

    private static String oneOf(HarvesterConfig cfg, String key, String... allowed) {
        String v = cfg.get(key);
        if (!List.of(allowed).contains(v)) {
            throw new ConfigException(key + ": '" + v + "' must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    private static ZoneId zone(HarvesterConfig cfg) {
        try {
            return ZoneId.of(cfg.get("harvester.schedule.timezone"));
        } catch (DateTimeException e) {
            throw new ConfigException("harvester.schedule.timezone: '" + cfg.get("harvester.schedule.timezone")
                    + "' is not a time zone (e.g. UTC, Europe/Berlin)");
        }
    }

    private static Void cron(HarvesterConfig cfg) {
        String cron = cfg.get("harvester.schedule.cron");
        if (!CronExpression.isValidExpression(cron)) {
            throw new ConfigException("harvester.schedule.cron: '" + cron + "' is not a Quartz cron expression"
                    + " (seconds minutes hours day-of-month month day-of-week, e.g. 0 0 6 * * ?)");
        }
        return null;
    }

    private static Duration duration(HarvesterConfig cfg, String key) {
        try {
            return Duration.parse(cfg.get(key));
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + ": '" + cfg.get(key) + "' is not an ISO 8601 duration (e.g. PT10M)");
        }
    }

    /**
     * The drop endpoint: a file: URI as configured; an sftp: URI with strict host key checking against
     * the known_hosts file and the key file (a password is set apart, see {@link SftpPassword}).
     */
    private static String dropUri(HarvesterConfig cfg, Map<String, String> env) {
        String uri = cfg.get("harvester.drop.uri");
        if (uri.startsWith("file:")) {
            return DropUri.file(uri);
        }
        if (!uri.startsWith("sftp:")) {
            throw new ConfigException("harvester.drop.uri: '" + uri + "' must be a file: or sftp: URI");
        }
        URI parsed = URI.create(uri.replaceFirst("^sftp:(//)?", "sftp://"));
        if (parsed.getHost() == null || parsed.getUserInfo() == null) {
            throw new ConfigException("harvester.drop.uri: '" + uri + "' must name user and host (sftp://user@host[:port]/folder)");
        }
        Path knownHosts = cfg.getPath("harvester.drop.sftp-known-hosts");
        if (!Files.isReadable(knownHosts)) {
            throw new ConfigException("harvester.drop.sftp-known-hosts: " + knownHosts + " cannot be read; the SFTP host key"
                    + " must be known (ssh-keyscan -p PORT HOST >> it, after checking the fingerprint)");
        }
        Path key = null;
        if (cfg.isSet("harvester.drop.sftp-private-key-file")) {
            key = cfg.getPath("harvester.drop.sftp-private-key-file");
            if (!Files.isReadable(key)) {
                throw new ConfigException("harvester.drop.sftp-private-key-file: " + key + " cannot be read");
            }
        }
        String password = cfg.getSecret("harvester.drop.sftp-password", null, env);
        if (password.isEmpty() && key == null) {
            throw new ConfigException("harvester.drop.uri: an sftp: drop needs harvester.drop.sftp-private-key-file or"
                    + " harvester.drop.sftp-password (environment) / harvester.drop.sftp-password-file");
        }
        return DropUri.sftp(uri, knownHosts, key, cfg.get("harvester.http.connect-timeout"), cfg.get("harvester.http.read-timeout"));
    }

    private static Path outputDir(HarvesterConfig cfg) {
        Path dir = cfg.getPath("harvester.output.dir");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("harvester.output.dir: " + dir + " cannot be created (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException("harvester.output.dir: " + dir + " is not writable");
        }
        return dir;
    }

    private static String akamaiBaseUrl(HarvesterConfig cfg, EdgeGridCredentials credentials) {
        return apiBaseUrl("harvester.akamai.base-url", cfg.isSet("harvester.akamai.base-url") ? cfg.get("harvester.akamai.base-url")
                : credentials == null ? "" : "https://" + credentials.host());
    }

    private static String fastlyToken(HarvesterConfig cfg, Map<String, String> env) {
        String token = cfg.getSecret("harvester.fastly.api-token", "FASTLY_API_TOKEN", env);
        if (token.isBlank()) {
            throw new ConfigException("harvester.fastly.api-token: empty; set FASTLY_API_TOKEN (or HARVESTER_FASTLY_API_TOKEN)"
                    + " or name a file in harvester.fastly.api-token-file");
        }
        return token;
    }

    /** http(s)://host[:port] with no path: credentials are bound to exactly this host. */
    private static String apiBaseUrl(String key, String value) {
        String url = value;
        if (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI u = URI.create(url);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null
                    || (u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null) {
                throw new IllegalArgumentException();
            }
            // credentials go in clear over http: only to this machine (the sandbox, a test stub)
            if ("http".equals(u.getScheme()) && !isLoopback(u.getHost())) {
                throw new ConfigException(key + ": '" + url + "' is http:// to another host; credentials would travel in"
                        + " clear: use https://");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": '" + url + "' must be http(s)://host[:port] with no path");
        }
        return url;
    }

    private static List<String> switchKeys(HarvesterConfig cfg) {
        List<String> keys = cfg.getList("harvester.akamai.account-switch-keys");
        for (String k : keys) {
            if (!AkamaiRequests.isValidSwitchKey(k)) {
                throw new ConfigException("harvester.akamai.account-switch-keys: '" + k + "' is not an account switch key");
            }
        }
        return List.copyOf(new LinkedHashSet<>(keys));
    }

    private static Set<String> contentTypes(HarvesterConfig cfg) {
        Set<String> types = new LinkedHashSet<>(cfg.getList("harvester.akamai.content-types"));
        for (String t : types) {
            if (!CONTENT_TYPES.contains(t)) {
                throw new ConfigException("harvester.akamai.content-types: '" + t + "' is not one of " + CONTENT_TYPES);
            }
        }
        if (types.isEmpty()) {
            throw new ConfigException("harvester.akamai.content-types: empty; name at least one of " + CONTENT_TYPES);
        }
        return types;
    }
}
