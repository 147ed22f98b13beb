package io.invoiceharvester;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.cli.Harvester;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.model.RunRequest;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.Endpoint;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * No secret reaches a log line (at DEBUG), a JMX attribute, an endpoint URI Camel shows, the summary
 * mail or a quarantine reason, in a run where every provider and the drop fail in some way.
 */
class SecretsTest extends HarvestTestSupport {

    static final String FASTLY_KEY = "fastly-secret-key-5b1f0e7a9c";
    static final String SFTP_PASSWORD = "sftp-secret-pw-88d2a1";
    static final String DB_PASSWORD = "db-secret-pw-41c9e7";

    StringWriter log = new StringWriter();
    WriterAppender appender;

    @BeforeEach
    void setUp() throws Exception {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        appender = WriterAppender.newBuilder().setName("secrets-scan").setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%d %-5p %c - %m%n%throwable").withConfiguration(config).build())
                .setConfiguration(config).build();
        appender.start();
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        config.getRootLogger().setLevel(Level.DEBUG);
        ctx.updateLoggers();
    }

    @AfterEach
    void tearDown() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender("secrets-scan");
        ctx.getConfiguration().getRootLogger().setLevel(Level.INFO);
        ctx.updateLoggers();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void noSecretAppearsAnywhereAFailingRunShowsThings() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "");
        h.set("harvester.fastly.enabled", "true").set("harvester.fastly.base-url", h.api.baseUrl())
                .set("harvester.fastly.api-token", FASTLY_KEY)
                .set("harvester.drop.uri", "sftp://harvester@127.0.0.1:" + closedPort() + "/in")
                .set("harvester.drop.sftp-known-hosts", knownHosts.toString())
                .set("harvester.drop.sftp-password", SFTP_PASSWORD)
                .set("harvester.state.password", DB_PASSWORD)
                .set("harvester.retry.max-attempts", "2").set("harvester.mail.when", "always");
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).withQueryParam("month", equalTo("2021-01"))
                .willReturn(aResponse().withBody(TestHarvest.resource(TestHarvest.FIXTURE_LIST))));
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).withQueryParam("month", equalTo("2021-02"))
                .willReturn(aResponse().withStatus(401).withBody(TestHarvest.resource("/fixtures/akamai/problem-401.json"))));
        h.api.stubFor(get(urlPathMatching("/invoicing-api/v4/contracts/.*")).withHeader("Accept", equalTo("application/pdf"))
                .willReturn(aResponse().withBody("%PDF-1.4\n%%EOF\n")));
        h.api.stubFor(get(urlPathMatching("/invoicing-api/v4/contracts/.*")).withHeader("Accept", equalTo("text/csv"))
                .willReturn(aResponse().withBody("2021-01-01,12.50,USD\n")));
        h.api.stubFor(get(urlPathEqualTo("/billing/v3/invoices")).willReturn(aResponse().withStatus(401)
                .withBody(TestHarvest.resource("/fixtures/fastly/error-401.json"))));

        List<String> shown = new ArrayList<>();
        RunState report;
        try (Harvester harvester = Harvester.prepare(h.config(), Map.of(), false)) {
            harvester.start();
            report = harvester.harvest(new RunRequest("test", List.of(YearMonth.of(2021, 1), YearMonth.of(2021, 2)),
                    harvester.runPlan().providers()));
            for (Endpoint e : harvester.camelContext().getEndpoints()) {
                shown.add(e.getEndpointUri());
                shown.add(e.toString());
            }
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            int attributes = 0;
            for (ObjectName name : jmx.queryNames(new ObjectName("org.apache.camel:*"), null)) {
                for (MBeanAttributeInfo a : jmx.getMBeanInfo(name).getAttributes()) {
                    if (a.isReadable()) {
                        try {
                            shown.add(name + " " + a.getName() + "=" + jmx.getAttribute(name, a.getName()));
                            attributes++;
                        } catch (Exception | LinkageError unreadable) {
                            // an attribute that cannot be read shows nothing
                        }
                    }
                }
            }
            assertTrue(attributes > 100, "JMX was scanned: " + attributes + " attributes");
        }

        assertTrue(report.exitCode() >= 1 && report.getFailures().size() >= 4, report.getFailures().toString());
        for (RunState.Failure f : report.getFailures()) {
            shown.add(f.item() + ": " + f.message());
        }
        shown.add(log.toString());
        for (Path p : h.filesUnder(h.out().resolve("outbox"))) {
            shown.add(Files.readString(p));
        }
        List<Path> reasons = h.filesUnder(h.out().resolve("quarantine")).stream()
                .filter(p -> p.toString().endsWith(".reason.txt")).toList();
        assertFalse(reasons.isEmpty(), "a quarantine reason was written");
        for (Path p : reasons) {
            shown.add(Files.readString(p));
        }
        assertTrue(log.toString().contains("WARN"), "the run's failures were logged (the capture runs at DEBUG)");
        assertEquals(1, h.filesUnder(h.out().resolve("outbox")).size(), "the summary mail was written");

        String everything = String.join("\n", shown);
        List<String> secrets = new ArrayList<>(TestHarvest.CREDENTIALS.secrets());
        secrets.addAll(List.of(FASTLY_KEY, SFTP_PASSWORD, DB_PASSWORD));
        for (String secret : secrets) {
            int at = everything.indexOf(secret);
            assertEquals(-1, at, "a secret leaked: ..." + (at < 0 ? "" : everything.substring(Math.max(0, at - 200), at)) + "...");
        }
    }

    /** A database not reachable yet is exit 75 (PostgreSQL refusing the connection), one that cannot be opened exit 2. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://127.0.0.1:%d/x?user=u&password=s3cret-in-url&ssl=false|75|state database not reachable (yet): ",
        "jdbc:h2:tcp://127.0.0.1:%d/x;USER=u;PASSWORD=s3cret-in-url|2|harvester.state.url: cannot open"})
    void aPasswordInTheStateUrlIsShownNowhere(String url, int exitCode, String said) throws Exception {
        h.set("harvester.state.url", String.format(url, closedPort()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = io.invoiceharvester.cli.HarvesterCommand.execute(new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true), "once", "--config", h.configFile().toString(), "--month", "2021-01");

        assertEquals(exitCode, code, err.toString());
        String shown = out + "\n" + err + "\n" + log;
        assertTrue(err.toString().contains(said), err.toString());
        assertTrue(err.toString().contains("***"), "the URL is still recognizable: " + err);
        assertFalse(shown.contains("s3cret-in-url"), shown);
    }

    @Test
    void theEdgeGridSignerNeverLogsTheTokensWhateverTheRootLevel() throws Exception {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().setLevel(Level.ALL);
        ctx.updateLoggers();
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withStatus(204)));

        h.run("2021-01");

        assertTrue(log.toString().contains("akamai"), "the log was captured");
        for (String secret : List.of(TestHarvest.CREDENTIALS.clientToken(), TestHarvest.CREDENTIALS.accessToken(),
                TestHarvest.CREDENTIALS.clientSecret())) {
            assertFalse(log.toString().contains(secret), "a token in the log at level ALL");
        }
    }
}
