package io.invoiceharvester;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.invoiceharvester.cli.Harvester;
import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.edgegrid.EdgeGridCredentials;
import io.invoiceharvester.edgegrid.SignatureVerifier;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.model.RunRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/** A harvester pointed at a WireMock stand-in of the Akamai API, with its own folder and state database. */
public final class TestHarvest implements AutoCloseable {

    public static final EdgeGridCredentials CREDENTIALS = new EdgeGridCredentials("akab-test.luna.akamaiapis.net",
            "akab-client-token-test-0001", "dGVzdC1jbGllbnQtc2VjcmV0LW5vdC1hLXJlYWwtb25lLTAx", "akab-access-token-test-0001",
            EdgeGridCredentials.DEFAULT_MAX_BODY, List.of());

    /** The project's list fixture (the published example with self-consistent links). */
    public static final String FIXTURE_LIST = "/project-fixtures/akamai/list-invoices.json";
    /** The download path of the fixture list's invoice 1234567890 (a PDF and a CSV). */
    public static final String INVOICE_LINK = "/invoicing-api/v4/contracts/C-0N7RAC7/invoices/1234567890/download";
    /** The download path of the fixture list's credit memo 8234567890 (COMPUTE: a PDF and a CSV). */
    public static final String CREDIT_MEMO_LINK = "/invoicing-api/v4/contracts/K-0N7RAK71/invoices/8234567890/download";
    /** Where every Akamai download path begins. */
    public static final String DOWNLOADS = "/invoicing-api/v4/contracts/";

    /** The state databases the harvester supports; tests that must hold on both run once for each. */
    public enum StateDb {
        H2, POSTGRESQL;

        /** .ci/run sets it; without it the PostgreSQL variants are skipped with a message. */
        public static final String POSTGRES_URL = System.getenv("HARVESTER_TEST_POSTGRES_URL");

        public void assumeAvailable() {
            org.junit.jupiter.api.Assumptions.assumeTrue(this == H2 || POSTGRES_URL != null && !POSTGRES_URL.isBlank(),
                    "HARVESTER_TEST_POSTGRES_URL is not set (.ci/run sets it): the PostgreSQL variant is skipped");
        }
    }

    /**
     * A PostgreSQL schema of a test's own, dropped on close: the one way the tests make and reset one (skipped,
     * saying why, without HARVESTER_TEST_POSTGRES_URL).
     */
    public record PostgresSchema(String name) implements AutoCloseable {

        public static PostgresSchema create(String prefix) throws SQLException {
            StateDb.POSTGRESQL.assumeAvailable();
            PostgresSchema schema = new PostgresSchema(prefix + "_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12));
            try (Connection c = DriverManager.getConnection(StateDb.POSTGRES_URL); Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema.name);
            }
            return schema;
        }

        /** A state URL on this schema. */
        public String url() {
            return StateDb.POSTGRES_URL + (StateDb.POSTGRES_URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = DriverManager.getConnection(StateDb.POSTGRES_URL); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + name + " CASCADE");
            }
        }
    }

    public final Path dir;
    public final WireMockServer api;
    public final StateDb db;
    private final PostgresSchema schema;
    private final Map<String, String> settings = new HashMap<>();

    public TestHarvest(Path dir) throws IOException {
        this(dir, StateDb.H2);
    }

    /** A harvester on the given state database: H2 in the folder, or a PostgreSQL schema of its own. */
    public TestHarvest(Path dir, StateDb db) throws IOException {
        db.assumeAvailable();
        this.dir = dir;
        this.db = db;
        try {
            this.schema = db == StateDb.H2 ? null : PostgresSchema.create("harvester_test");
        } catch (SQLException e) {
            throw new IOException(e);
        }
        this.api = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        api.start();
        Path edgerc = dir.resolve("edgerc");
        Files.writeString(edgerc, "[test]\nhost = " + CREDENTIALS.host() + "\nclient_token = " + CREDENTIALS.clientToken()
                + "\nclient_secret = " + CREDENTIALS.clientSecret() + "\naccess_token = " + CREDENTIALS.accessToken() + "\n");
        Files.setPosixFilePermissions(edgerc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        set("harvester.akamai.edgerc", edgerc.toString());
        set("harvester.akamai.section", "test");
        set("harvester.akamai.base-url", api.baseUrl());
        set("harvester.output.dir", out().toString());
        set("harvester.drop.uri", "file:" + drop());
        set("harvester.state.url", stateUrl());
        if (schema != null) {
            set("harvester.state.username", "").set("harvester.state.password", "");
        }
        set("harvester.retry.initial-delay", "10");
    }

    /**
     * The project's list fixture for this month, and every file it names: the given PDF for each PDF, the
     * documented CSV fixture for each CSV, stated for its own account and invoice.
     */
    public void stubAkamaiFixtures(String month, byte[] pdf) throws IOException {
        api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).withQueryParam("month", equalTo(month))
                .willReturn(aResponse().withBody(resource(FIXTURE_LIST))));
        stubAkamaiFile(INVOICE_LINK, "REGULAR", "application/pdf", pdf);
        stubAkamaiFile(INVOICE_LINK, "REGULAR", "text/csv", fixtureCsv("A-CCT7890", "1234567890"));
        stubAkamaiFile(CREDIT_MEMO_LINK, "COMPUTE", "application/pdf", pdf);
        stubAkamaiFile(CREDIT_MEMO_LINK, "COMPUTE", "text/csv", fixtureCsv("A-CCT9012", "8234567890"));
    }

    /** One Akamai file: its link, source type and content type (Accept) answered with the body. */
    public void stubAkamaiFile(String link, String sourceType, String contentType, byte[] body) {
        api.stubFor(get(urlPathEqualTo(link)).withQueryParam("sourceType", equalTo(sourceType))
                .withHeader("Accept", equalTo(contentType))
                .willReturn(aResponse().withHeader("Content-Type", contentType).withBody(body)));
    }

    /** The documented CSV fixture (invoice 1234567890 of account A-CCT7890) stated for another account and invoice. */
    public static byte[] fixtureCsv(String accountId, String invoiceId) throws IOException {
        return restated(new String(resource("/fixtures/akamai/invoice-download.csv"), java.nio.charset.StandardCharsets.UTF_8),
                accountId, invoiceId);
    }

    /** Both CSVs of the fixture list: {@code csv} (rows in the fixture's shape) for the invoice, restated for the credit memo. */
    public void stubFixtureCsvs(String csv) {
        stubAkamaiFile(INVOICE_LINK, "REGULAR", "text/csv", csv.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        stubAkamaiFile(CREDIT_MEMO_LINK, "COMPUTE", "text/csv", restated(csv, "A-CCT9012", "8234567890"));
    }

    private static byte[] restated(String csv, String accountId, String invoiceId) {
        return csv.replace("A-CCT7890,Main Street Corporation,02/01/2021,1234567890,",
                accountId + ",Main Street Corporation,02/01/2021," + invoiceId + ",").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public TestHarvest set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public Path out() {
        return dir.resolve("out");
    }

    public Path drop() {
        return dir.resolve("drop");
    }

    public String stateUrl() {
        if (schema != null) {
            return schema.url();
        }
        return "jdbc:h2:file:" + dir.resolve("state").resolve("harvester");
    }

    /** Lets another process open the H2 file at the same time (a harvester in a JVM of its own). */
    public TestHarvest sharedState() {
        if (schema == null) {
            set("harvester.state.url", stateUrl() + ";AUTO_SERVER=TRUE");
        }
        return this;
    }

    /** The state database as the harvester opens it, for a test that acts on it as the product does. */
    public io.invoiceharvester.state.StateDatabase openState() {
        HarvesterConfig cfg = config();
        return io.invoiceharvester.state.StateDatabase.open(cfg.get("harvester.state.url"), cfg.get("harvester.state.username"),
                cfg.get("harvester.state.password"));
    }

    /** A connection to the state database, as a test inspects or disturbs it. */
    public Connection connection() throws SQLException {
        return schema != null ? DriverManager.getConnection(stateUrl())
                : DriverManager.getConnection(config().get("harvester.state.url"), "sa", "");
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = connection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** A copy of the packaged routes, as an engineer starts an edit (for --routes DIR). */
    public Path routesCopy() throws IOException {
        Path routes = Files.createDirectories(dir.resolve("my-routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return routes;
    }

    /** Replaces text in a route file of a copy, failing when the text is not there (the edit would test nothing). */
    public static Path edit(Path routeFile, String text, String replacement) throws IOException {
        String before = Files.readString(routeFile);
        if (!before.contains(text)) {
            throw new IllegalArgumentException(routeFile + " does not contain " + text);
        }
        Files.writeString(routeFile, before.replace(text, replacement));
        return routeFile;
    }

    /** The settings as a --config file, for driving the command line. */
    public Path configFile() throws IOException {
        Properties p = new Properties();
        p.putAll(settings);
        Path file = dir.resolve("test.properties");
        try (java.io.Writer w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    public HarvesterConfig config() {
        HarvesterConfig cfg = HarvesterConfig.load(null, Map.of(), new Properties());
        for (Map.Entry<String, String> e : settings.entrySet()) {
            cfg = cfg.with(e.getKey(), e.getValue());
        }
        return cfg;
    }

    /** One harvest of these months, start to stop, like `once`. */
    public RunState run(String... months) {
        return runAs("test", months);
    }

    /** One harvest with the given trigger ("schedule" waits for a held run lock). */
    public RunState runAs(String trigger, String... months) {
        try (Harvester harvester = Harvester.prepare(config(), Map.of(), false)) {
            harvester.start();
            return harvester.harvest(new RunRequest(trigger, Stream.of(months).map(YearMonth::parse).toList(),
                    harvester.runPlan().providers()));
        }
    }

    /** The summaries in the outbox (no SMTP host), as text, oldest first. */
    public List<String> outbox() throws IOException {
        List<String> out = new java.util.ArrayList<>();
        for (Path p : filesUnder(out().resolve("outbox"))) {
            if (p.getFileName().toString().endsWith(".eml") && p.getParent().getFileName().toString().equals("outbox")) {
                out.add(Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    /** Empties the outbox, so that the next run's summary is the only one there. */
    public void clearOutbox() throws IOException {
        for (Path p : filesUnder(out().resolve("outbox"))) {
            Files.delete(p);
        }
    }

    /** Serves Fastly's API from the same stub: an empty invoice list, and the key the harvester sends. */
    public TestHarvest withFastly() throws IOException {
        Path token = dir.resolve("fastly-token");
        Files.writeString(token, "test-fastly-token");
        set("harvester.fastly.enabled", "true").set("harvester.fastly.base-url", api.baseUrl())
                .set("harvester.fastly.api-token-file", token.toString());
        api.stubFor(get(urlPathEqualTo("/billing/v3/invoices")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"data\": [], \"meta\": {\"next_cursor\": \"\", \"limit\": 200, \"total\": 0}}")));
        return this;
    }

    /**
     * A `once` of the month in a JVM of its own, killed (SIGKILL) while it waits for Fastly's month-to-date
     * estimate: after its files are stored, before its ledger export and its summary. Afterwards the
     * estimate answers at once again.
     */
    public void onceKilledAtMonthToDate(String month) throws Exception {
        String monthToDate = "/billing/v3/invoices/month-to-date";
        set("harvester.fastly.month-to-date", "true");
        api.stubFor(get(urlPathEqualTo(monthToDate)).willReturn(aResponse().withStatus(404).withFixedDelay(120_000)));
        Path log = dir.resolve("killed.log");
        Process once = new ProcessBuilder(javaCommand("once", "--config", configFile().toString(), "--month", month))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
        while (requestsTo(monthToDate) == 0 && once.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!once.isAlive()) {
            throw new AssertionError("the harvester ended before it could be killed: " + Files.readString(log));
        }
        // at once: a commit is on disk when it returns (the harvester's H2 URLs write without delay)
        once.destroyForcibly();
        if (!once.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("the killed harvester did not end");
        }
        api.stubFor(get(urlPathEqualTo(monthToDate)).willReturn(aResponse().withStatus(404)));
    }

    /** What the stub received, oldest first (WireMock lists the newest first). */
    public List<LoggedRequest> requests() {
        List<LoggedRequest> all = new java.util.ArrayList<>(api.getAllServeEvents().stream().map(ServeEvent::getRequest).toList());
        java.util.Collections.reverse(all);
        return all;
    }

    public long requestsTo(String pathPrefix) {
        return requests().stream().filter(r -> r.getUrl().startsWith(pathPrefix)).count();
    }

    /** Every request the stub received carries a valid EdgeGrid signature over exactly what it received. */
    public void assertEveryRequestValidlySigned() {
        SignatureVerifier verifier = new SignatureVerifier(CREDENTIALS, null);
        List<LoggedRequest> all = requests();
        assertTrue(!all.isEmpty(), "the stub received no request");
        for (LoggedRequest r : all) {
            Map<String, String> headers = new HashMap<>();
            for (HttpHeader h : r.getHeaders().all()) {
                headers.put(h.key(), h.firstValue());
            }
            assertNull(verifier.problem(r.getMethod().getName(), r.getUrl(), headers, r.getHeader("Authorization")),
                    "bad signature on " + r.getUrl());
        }
    }

    public List<Path> filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Waits until the condition holds, checking every 100 ms; fails naming what it waited for after the timeout. */
    public static void until(String what, java.time.Duration timeout, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what);
            }
            Thread.sleep(100);
        }
    }

    public long count(String sql) throws SQLException {
        try (Connection c = connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A configuration file for a harvester in a JVM of its own against the sandbox: its .edgerc, the
     * sandbox's switch keys, its months as the schedule's, output, drop and H2 state under {@code root}, no mail;
     * {@code extra} on top.
     */
    public static Path sandboxConfig(io.invoiceharvester.sandbox.Sandbox sandbox, Path root, Map<String, String> extra)
            throws IOException {
        Files.createDirectories(root);
        Path edgerc = root.resolve("edgerc");
        Files.writeString(edgerc, sandbox.edgercSection("sandbox"));
        Properties p = new Properties();
        p.setProperty("harvester.akamai.edgerc", edgerc.toString());
        p.setProperty("harvester.akamai.section", "sandbox");
        p.setProperty("harvester.akamai.base-url", sandbox.baseUrl());
        p.setProperty("harvester.akamai.account-switch-keys", String.join(",", sandbox.switchKeys()));
        p.setProperty("harvester.output.dir", root.resolve("out").toString());
        p.setProperty("harvester.drop.uri", "file:" + root.resolve("drop"));
        // as the packaged default: AUTO_SERVER lets a second process (an operator command) open the file
        p.setProperty("harvester.state.url", "jdbc:h2:file:" + root.resolve("state/harvester") + ";AUTO_SERVER=TRUE");
        p.setProperty("harvester.mail.when", "never");
        p.putAll(sandboxMonths());
        p.putAll(extra);
        Path file = root.resolve("harvester.properties");
        try (java.io.Writer w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
        return file;
    }

    /** harvester.schedule.from and .to: the sandbox's months, which scheduled runs then cover. */
    public static Map<String, String> sandboxMonths() {
        List<YearMonth> months = io.invoiceharvester.sandbox.SandboxData.MONTHS;
        return Map.of("harvester.schedule.from", months.get(0).toString(), "harvester.schedule.to", months.get(months.size() - 1).toString());
    }

    /**
     * The command line of a harvester in a JVM of its own, on the test class path. Empty class path
     * entries are dropped: they mean the working directory, whose routes/ would load a second time.
     */
    public static List<String> javaCommand(String... args) {
        String classPath = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.isBlank()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "io.invoiceharvester.Application"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static byte[] resource(String path) throws IOException {
        try (InputStream in = TestHarvest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no test resource " + path);
            }
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        api.stop();
        if (schema != null) {
            try {
                schema.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
