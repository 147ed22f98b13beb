package io.invoiceharvester.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line's outside: exit codes and one-line errors, as README's "Commands" promises. */
class CommandLineTest extends HarvestTestSupport {

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int run(String... args) {
        return HarvesterCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private void assertOneLineConfigError(String expectedStart) {
        String text = err.toString().trim();
        assertTrue(text.startsWith("configuration error: " + expectedStart), text);
        assertFalse(text.contains("\tat ") || text.contains("Exception"), "no stack trace: " + text);
        assertEquals(0, h.requests().size(), "nothing was asked of the API");
    }

    @Test
    void aMissingEdgercFileIsExitCode2WithOneLineNamingTheKey() throws Exception {
        h.set("harvester.akamai.edgerc", dir.resolve("absent/.edgerc").toString());
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--month", "2024-01"));
        assertOneLineConfigError("harvester.akamai.edgerc: ");
        assertTrue(err.toString().contains("does not exist"));
    }

    @Test
    void aMissingSectionIsExitCode2() throws Exception {
        h.set("harvester.akamai.section", "production");
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--month", "2024-01"));
        assertOneLineConfigError("harvester.akamai.section: section [production] not found");
    }

    @Test
    void aMissingKeyIsExitCode2() throws Exception {
        Path edgerc = dir.resolve("partial.edgerc");
        Files.writeString(edgerc, "[test]\nhost = h.example\nclient_token = ct\nclient_secret = cs\n");
        h.set("harvester.akamai.edgerc", edgerc.toString());
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--month", "2024-01"));
        assertOneLineConfigError("harvester.akamai.edgerc: [test] in " + edgerc + " has no access_token");
    }

    @Test
    void everyConfigurationProblemIsNamedAtOnce() throws Exception {
        h.set("harvester.schedule.cron", "every morning").set("harvester.drop.uri", "ftp://files.example/drop")
                .set("harvester.concurrency", "zero");
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--month", "2024-01"));
        String text = err.toString();
        assertTrue(text.contains("harvester.schedule.cron: 'every morning' is not a Quartz cron expression"), text);
        assertTrue(text.contains("harvester.drop.uri: 'ftp://files.example/drop' must be a file: or sftp: URI"), text);
        assertTrue(text.contains("harvester.concurrency: 'zero' is not a whole number"), text);
        assertEquals(3, text.lines().count(), text);
    }

    @Test
    void aCopyOfTheRoutesRunsWithRoutesDir() throws Exception {
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes());

        assertEquals(0, run("once", "--config", h.configFile().toString(), "--routes", h.routesCopy().toString(), "--month", "2021-01"),
                out + "" + err);
        assertEquals(2, h.filesUnder(h.drop()).size());
    }

    /**
     * The routes read the drop endpoint the harvester derives (host-key checking for SFTP) as {{harvester.drop.endpoint}};
     * a route copy made before still reads {{harvester.drop.uri}}, which is now what the user typed: it fails at start.
     */
    @Test
    void aRouteCopyReadingAPlaceholderThatMovedFailsAtStartNamingTheNewOne() throws Exception {
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes());
        Path routes = h.routesCopy();
        Path drop = routes.resolve("drop.camel.yaml");
        Files.writeString(drop, Files.readString(drop).replace("{{harvester.drop.endpoint}}", "{{harvester.drop.uri}}"));

        assertEquals(2, run("once", "--config", h.configFile().toString(), "--routes", routes.toString(), "--month", "2021-01"), err.toString());
        assertTrue(err.toString().contains("{{harvester.drop.uri}}") && err.toString().contains("{{harvester.drop.endpoint}}"), err.toString());
        assertFalse(Files.exists(h.drop()) && !h.filesUnder(h.drop()).isEmpty(), "nothing dropped");
    }

    /** Arguments the database and ledger beans take are named in the routes now: a copy calling them by name alone. */
    @Test
    void aRouteCopyCallingABeanByNameAloneWhoseArgumentsTheRoutesNameFailsAtStart() throws Exception {
        Path routes = h.routesCopy();
        Path ledger = routes.resolve("ledger.camel.yaml");
        Files.writeString(ledger, Files.readString(ledger).replace("method: \"exportMonth(${body})\"",
                "method: exportMonth"));
        Path errors = routes.resolve("error-handling.camel.yaml");
        Files.writeString(errors, Files.readString(errors).replaceAll("method: \"failed\\(.*\\)\"", "method: failed"));

        assertEquals(2, run("once", "--config", h.configFile().toString(), "--routes", routes.toString(), "--month", "2021-01"),
                err.toString());
        assertOneLineConfigError("route step '");
        String text = err.toString();
        assertTrue(text.contains("route step 'export-month' calls ledgerExport.exportMonth by name alone")
                && text.contains("method: \"exportMonth(${body})\""), text);
        assertTrue(text.contains("route step 'report-failed-item' calls failureReport.failed by name alone")
                && text.contains("route step 'report-invalid-content' calls failureReport.failed by name alone"),
                "the error handler's own steps too: " + text);
    }

    /**
     * A copy made before the download routes were renamed (2026-12) would run, its routes calling each other, while
     * /observe/health waited for the new ids forever: it fails at start, naming each id to rename and its new name.
     */
    @Test
    void aRouteCopyWithRenamedRouteIdsFailsAtStartNamingTheNewOnes() throws Exception {
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes());
        Path routes = h.routesCopy();
        Files.move(routes.resolve("pick.camel.yaml"), routes.resolve("fetch.camel.yaml"));
        Map<String, String> before = Map.of("pick-new-files", "fetch-new-files", "akamai-harvest-file", "akamai-download-file",
                "akamai-get-file", "akamai-fetch-file", "fastly-harvest-invoice", "fastly-download-file", "fastly-get-invoice", "fastly-fetch-invoice");
        try (Stream<Path> files = Files.list(routes)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                for (Map.Entry<String, String> id : before.entrySet()) {
                    text = text.replace(id.getKey(), id.getValue());
                }
                Files.writeString(f, text);
            }
        }

        assertEquals(2, run("once", "--config", h.configFile().toString(), "--routes", routes.toString(), "--month", "2021-01"), err.toString());
        assertOneLineConfigError(routes + "/");
        String text = err.toString();
        for (Map.Entry<String, String> id : before.entrySet()) {
            assertTrue(text.contains(id.getValue() + " was renamed " + id.getKey()), id + " in " + text);
        }
        assertTrue(text.contains("docs/routes.md"), text);
    }

    /** Bean methods renamed with the words stored and dropped (2026-12): a copy calling the old names is told the new ones. */
    @Test
    void aRouteCopyCallingARenamedBeanMethodFailsAtStartNamingTheNewOne() throws Exception {
        Path routes = h.routesCopy();
        TestHarvest.edit(routes.resolve("store.camel.yaml"), "method: \"stored(", "method: \"delivered(");
        TestHarvest.edit(routes.resolve("pick.camel.yaml"), "method: \"isStored(", "method: \"isDelivered(");

        assertEquals(2, run("once", "--config", h.configFile().toString(), "--routes", routes.toString(), "--month", "2021-01"), err.toString());
        assertOneLineConfigError(routes + "/");
        String text = err.toString();
        assertTrue(text.contains("step count-stored: runProgress.delivered was renamed runProgress.stored"), text);
        assertTrue(text.contains("deliveryLog.isDelivered was renamed deliveryLog.isStored"), text);
    }

    /** Reloading needs a copy of the routes; Camel's own reload settings that would remove routes or watch elsewhere are refused. */
    @Test
    void routeReloadNeedsARoutesCopyAndKeepsEveryOtherRoute() throws Exception {
        h.set("harvester.routes.reload", "true");
        assertEquals(2, run("check", "--config", h.configFile().toString()));
        assertOneLineConfigError("harvester.routes.reload: the packaged routes are inside the jar; reload a copy of them");

        err.getBuffer().setLength(0);
        h.set("harvester.routes.reload", "false").set("camel.main.routesReloadEnabled", "true")
                .set("camel.main.routes-reload-remove-all-routes", "true");
        assertEquals(2, run("check", "--config", h.configFile().toString(), "--routes", h.routesCopy().toString()));
        assertOneLineConfigError("camel.main.routes-reload-remove-all-routes: true removes every route but those of the saved file");
    }

    /** A derived value names the key to set instead; the drop's fixed content type says to remove it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "harvester.drop.endpoint|file:/tmp/elsewhere|harvester.drop.endpoint: set by the harvester from harvester.drop.uri; set that instead",
        "harvester.drop.content-type|text/csv|harvester.drop.content-type: fixed by the harvester (the drop takes PDFs); remove it"})
    void aValueTheHarvesterSetsIsRefusedWithExitCode2(String key, String value, String message) throws Exception {
        h.set(key, value);
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--month", "2024-01"));
        assertOneLineConfigError(message);
    }

    @Test
    void fixedScheduleMonthsAreChecked() throws Exception {
        h.set("harvester.schedule.from", "2025-13").set("harvester.schedule.to", "2025-02");
        assertEquals(2, run("check", "--config", h.configFile().toString()));
        assertOneLineConfigError("harvester.schedule.from: '2025-13' is not a month (YYYY-MM)");

        err.getBuffer().setLength(0);
        h.set("harvester.schedule.from", "2025-03");
        assertEquals(2, run("check", "--config", h.configFile().toString()));
        assertOneLineConfigError("harvester.schedule.to: 2025-02 must be from harvester.schedule.from (2025-03) to 121 months after it");
    }

    @Test
    void aMissingRoutesFolderAndBadDurationsAndWordsAreNamedTogether() throws Exception {
        h.set("harvester.run.max-duration", "PT0S").set("harvester.progress.interval", "every minute")
                .set("harvester.mail.when", "sometimes");
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--routes", dir.resolve("absent").toString(),
                "--month", "2024-01"));
        String text = err.toString();
        assertTrue(text.contains("harvester.routes.dir: " + dir.resolve("absent") + " is not a folder"), text);
        assertTrue(text.contains("harvester.run.max-duration: 'PT0S' must be longer than zero"), text);
        assertTrue(text.contains("harvester.progress.interval: 'every minute' is not an ISO 8601 duration"), text);
        assertTrue(text.contains("harvester.mail.when: 'sometimes' must be one of always, changes, never"), text);
        assertEquals(4, text.lines().count(), text);
    }

    @Test
    void anUnopenableStateDatabaseIsExitCode2() throws Exception {
        h.set("harvester.state.url", "jdbc:mysql://db.example/state");
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--month", "2024-01"));
        assertOneLineConfigError("harvester.state.url: ");
    }

    @Test
    void anEdgercThatIsAFolderOrHasAnEmptyTokenIsExitCode2() throws Exception {
        h.set("harvester.akamai.edgerc", dir.toString());
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--month", "2024-01"));
        assertOneLineConfigError("harvester.akamai.edgerc: " + dir + " is not a readable file");

        Path empty = dir.resolve("empty-token.edgerc");
        Files.writeString(empty, "[test]\nhost = h.example\nclient_token =\nclient_secret = cs\naccess_token = at\n");
        h.set("harvester.akamai.edgerc", empty.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--month", "2024-01"));
        assertOneLineConfigError("harvester.akamai.edgerc: [test] in " + empty + " has no client_token");
    }

    /** A database not up yet is temporary (EX_TEMPFAIL, 75: the service manager restarts), not a configuration error. */
    @Test
    void anUnreachableDatabaseIsExitCode75BeforeAnyCall() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        h.set("harvester.state.url", "jdbc:postgresql://127.0.0.1:" + closed + "/harvester").set("harvester.state.username", "x");
        assertEquals(75, run("once", "--config", h.configFile().toString(), "--month", "2024-01"));
        String text = err.toString();
        assertTrue(text.startsWith("state database not reachable (yet): jdbc:postgresql://127.0.0.1:" + closed + "/harvester"), text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(h.requests().isEmpty());
        err.getBuffer().setLength(0);
        assertEquals(75, run("status", "--config", h.configFile().toString()), "operator commands too: " + err);
    }

    @Test
    void aDatabaseThatDoesNotExistIsAConfigurationError() throws Exception {
        TestHarvest.StateDb.POSTGRESQL.assumeAvailable();
        String url = TestHarvest.StateDb.POSTGRES_URL.replaceFirst("/[^/?]+(\\?|$)", "/no_such_database_here$1");
        h.set("harvester.state.url", url);
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--month", "2024-01"));
        assertOneLineConfigError("harvester.state.url: cannot open ");
    }

    @Test
    void checkReportsEveryProblemAtOnce() throws Exception {
        h.set("harvester.akamai.section", "nope").set("harvester.schedule.cron", "daily").set("harvester.drop.uri", "s3://bucket")
                .set("harvester.fastly.enabled", "true").set("harvester.fastly.api-token", "");
        assertEquals(2, run("check", "--config", h.configFile().toString()));
        String text = err.toString();
        for (String key : new String[] {"harvester.akamai.section:", "harvester.schedule.cron:", "harvester.drop.uri:",
                "harvester.fastly.api-token:"}) {
            assertTrue(text.contains("configuration error: " + key), key + " in " + text);
        }
        assertEquals(0, h.requests().size());
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void runExitWhenStartedStartsTheServiceAndStopsWithoutAHarvest() throws Exception {
        // the class-data sharing training start of deploy/: everything starts, nothing is fetched
        h.set("harvester.management.port", "0").set("harvester.schedule.cron", "0 0 0 1 1 ? 2099");
        assertEquals(0, run("run", "--config", h.configFile().toString(), "--exit-when-started"), err.toString());
        assertEquals(0, h.requests().size(), "no API call");
    }

    @Test
    void checkMakesOneReadOnlyCallAndSaysOk() throws Exception {
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withStatus(204)));
        assertEquals(0, run("check", "--config", h.configFile().toString()), out + "\n" + err);
        assertTrue(out.toString().contains("akamai: ok"), out.toString());
        assertEquals(1, h.requests().size());
        h.assertEveryRequestValidlySigned();
    }

    @Test
    void checkProbesFastlyWithItsKeyAndNamesARefusal() throws Exception {
        h.set("harvester.akamai.enabled", "false").set("harvester.fastly.enabled", "true")
                .set("harvester.fastly.base-url", h.api.baseUrl()).set("harvester.fastly.api-token-file",
                        Files.writeString(dir.resolve("fastly-token"), "check-token-1").toString());
        h.api.stubFor(get(urlPathEqualTo("/billing/v3/invoices")).willReturn(aResponse().withStatus(401)
                .withBody(TestHarvest.resource("/fixtures/fastly/error-401.json"))));
        assertEquals(2, run("check", "--config", h.configFile().toString()));
        assertTrue(out.toString().contains("fastly: fastly ") && out.toString().contains("HTTP 401: Unauthorized"), out.toString());
        assertEquals("check-token-1", h.requests().get(0).getHeader("Fastly-Key"));
        assertTrue(h.requests().get(0).getUrl().contains("&limit=1"));
    }

    @Test
    void aSecretOnTheCommandLineIsRefused() throws Exception {
        System.setProperty("harvester.state.password", "on-the-command-line");
        try {
            assertEquals(2, run("once", "--config", h.configFile().toString(), "--month", "2024-01"));
        } finally {
            System.clearProperty("harvester.state.password");
        }
        assertTrue(err.toString().contains("harvester.state.password: secrets are not accepted as -D"), err.toString());
        assertFalse(err.toString().contains("on-the-command-line"));
    }

    /** README and DESIGN: secrets come from the environment or a -file key, so a configuration file holding one is refused. */
    @Test
    void aSecretInAConfigFileIsRefusedNamingWhereToPutIt() throws Exception {
        h.set("harvester.fastly.enabled", "true").set("harvester.fastly.api-token", "in-the-config-file");
        assertEquals(2, run("check", "--config", h.configFile().toString()));
        assertOneLineConfigError("harvester.fastly.api-token: secrets are not accepted in a --config file");
        assertTrue(err.toString().contains("set HARVESTER_FASTLY_API_TOKEN or harvester.fastly.api-token-file"), err.toString());
        assertFalse(err.toString().contains("in-the-config-file"), "the secret is not echoed");
    }

    @Test
    void aMalformedMonthIsAUsageError() throws Exception {
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--month", "2024-13"));
        assertTrue(err.toString().contains("'2024-13' is not a month (YYYY-MM)"), err.toString());
    }

    @Test
    void refusedCredentialsOnEveryCallAreExitCode2WithTheRequestId() throws Exception {
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withStatus(401)
                .withBody(TestHarvest.resource("/fixtures/akamai/problem-401.json"))));
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--from", "2024-01", "--to", "2024-02"));
        String text = out.toString();
        assertTrue(text.contains("2 failed"), text);
        assertTrue(text.contains("Not authorized: The signature does not match (requestId 933ed8a4)"), text);
    }

    @Test
    void anUnreachableApiIsExitCode3() throws Exception {
        int port = h.api.port();
        h.api.stop();
        h.set("harvester.akamai.base-url", "http://127.0.0.1:" + port).set("harvester.retry.max-attempts", "2");
        assertEquals(3, run("once", "--config", h.configFile().toString(), "--month", "2024-01"));
        assertTrue(out.toString().contains("ConnectException") || out.toString().contains("Connect"), out.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "once", "check", "sandbox", "demo"})
    void everyCommandHasHelp(String command) {
        assertEquals(0, run(command, "--help"));
        assertTrue(out.toString().startsWith("Usage: invoice-harvester " + command), out.toString());
    }
}
