package io.invoiceharvester.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.cli.Harvester;
import io.invoiceharvester.model.RunRequest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The `run` service's management server, over HTTP: health, Prometheus metrics, read-only Jolokia. */
class ManagementTest extends HarvestTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    int port;

    @BeforeEach
    void setUp() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        h.set("harvester.management.port", Integer.toString(port)).set("harvester.schedule.cron", "0 0 0 1 1 ? 2099");
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private HttpResponse<String> call(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode jolokia(String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/jolokia/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    @Test
    void healthMetricsAndReadOnlyJolokiaAnswerOnTheManagementPort() throws Exception {
        try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
            service.start();
            service.harvest(new RunRequest("test", List.of(YearMonth.of(2021, 1)), List.of("akamai")));

            HttpResponse<String> health = call("/observe/health?data=true");
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("harvester-state") && health.body().contains("harvester-last-run")
                    && health.body().contains("harvester-credentials"), health.body());
            assertTrue(health.body().contains("\"status\": \"UP\"") || health.body().contains("\"status\":\"UP\""), health.body());

            HttpResponse<String> metrics = call("/observe/metrics");
            assertEquals(200, metrics.statusCode());
            String text = metrics.body();
            assertTrue(text.contains("harvester_files_delivered_total{content_type=\"application/pdf\",provider=\"akamai\"} 2.0"), text);
            assertTrue(text.contains("harvester_last_run_billed{currency=\"USD\"}"), text);
            assertTrue(text.contains("harvester_last_success_timestamp_seconds"), text);

            String route = "org.apache.camel:context=invoice-harvester,type=routes,name=\\\"harvest-run\\\"";
            JsonNode read = jolokia("{\"type\":\"read\",\"mbean\":\"" + route + "\",\"attribute\":\"ExchangesTotal\"}");
            assertEquals(200, read.path("status").asInt(), read.toString());
            assertEquals(1, read.path("value").asInt(), "one harvest ran through harvest-run");

            JsonNode write = jolokia("{\"type\":\"write\",\"mbean\":\"" + route + "\",\"attribute\":\"TracingPattern\",\"value\":\"x\"}");
            assertEquals(403, write.path("status").asInt(), write.toString());
            JsonNode stop = jolokia("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"stop()\"}");
            assertEquals(403, stop.path("status").asInt(), stop.toString());
            JsonNode dump = jolokia("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"dumpRouteAsXml()\"}");
            assertEquals(200, dump.path("status").asInt(), "Hawtio's read-only views work: " + dump);
            assertEquals("Started", service.camelContext().getRouteController().getRouteStatus("harvest-run").name());
        }
    }

    private JsonNode exec(String mbean, String operation, Object... arguments) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode request = JSON.createObjectNode().put("type", "exec").put("mbean", mbean)
                .put("operation", operation);
        request.set("arguments", JSON.valueToTree(arguments));
        return jolokia(JSON.writeValueAsString(request));
    }

    /**
     * Hawtio 4's Camel views (Exchanges, Source, Endpoints) and a thread dump work; each is allowed with its
     * signature alone, and reading an endpoint's messages (the drop's PDFs) or changing anything stays refused.
     */
    @Test
    void hawtio4sReadOnlyOperationsAndAThreadDumpAreAllowedAndNothingElse() throws Exception {
        try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
            service.start();
            service.harvest(new RunRequest("test", List.of(YearMonth.of(2021, 1)), List.of("akamai")));
            String services = "org.apache.camel:context=invoice-harvester,type=services,name=";
            String route = "org.apache.camel:context=invoice-harvester,type=routes,name=\"harvest-run\"";
            String context = "org.apache.camel:context=invoice-harvester,type=context,name=\"invoice-harvester\"";
            for (String[] allowed : new String[][] {{services + "DefaultInflightRepository", "browse()"},
                {services + "DefaultAsyncProcessorAwaitManager", "browse()"}, {route, "isUpdateRouteEnabled()"},
                {context, "componentNames()"}}) {
                JsonNode answer = exec(allowed[0], allowed[1]);
                assertEquals(200, answer.path("status").asInt(), allowed[1] + " on " + allowed[0] + ": " + answer);
            }
            JsonNode threads = exec("java.lang:type=Threading", "dumpAllThreads(boolean,boolean)", false, false);
            assertEquals(200, threads.path("status").asInt(), threads.toString());
            assertTrue(threads.path("value").toString().contains("\"threadName\":\"main\""), "a thread dump: " + threads);

            String drop = null;
            for (JsonNode name : jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=endpoints,*\"}").path("value")) {
                if (name.asText().contains("file://")) {
                    drop = name.asText();
                }
            }
            assertTrue(drop != null, "the drop is a file endpoint, whose messages Camel can browse");
            for (Object[] refused : new Object[][] {{drop, "browseAllMessagesAsXml(java.lang.Boolean)", true},
                {drop, "browseMessageBody(java.lang.Integer)", 0}, {services + "DefaultAsyncProcessorAwaitManager",
                    "interrupt(java.lang.String)", "x"}, {services + "DefaultInflightRepository", "browse(java.lang.String,int,boolean)",
                    "harvest-run", 10, true}, {"java.lang:type=Threading", "resetPeakThreadCount()"}}) {
                JsonNode answer = exec((String) refused[0], (String) refused[1],
                        java.util.Arrays.copyOfRange(refused, 2, refused.length));
                assertEquals(403, answer.path("status").asInt(), refused[1] + " on " + refused[0] + ": " + answer);
            }
        }
    }

    @Test
    void theJvmsSettingsAndCommandLineAreNotReadableThroughJolokia() throws Exception {
        System.setProperty("harvester.test.secret", "s3cr3t-seen-by-jolokia");
        try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
            service.start();
            for (String attribute : List.of("SystemProperties", "InputArguments")) {
                JsonNode one = jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"" + attribute + "\"}");
                assertEquals(403, one.path("status").asInt(), one.toString());
            }
            JsonNode all = jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\"}");
            assertFalse(all.toString().contains("s3cr3t-seen-by-jolokia"), "not in a read of every attribute either");
            JsonNode everything = jolokia("{\"type\":\"read\",\"mbean\":\"*:*\"}");
            assertFalse(everything.toString().contains("s3cr3t-seen-by-jolokia"), "nor in a read of every MBean");
            JsonNode uptime = jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Uptime\"}");
            assertEquals(200, uptime.path("status").asInt(), "other attributes stay readable: " + uptime);
        } finally {
            System.clearProperty("harvester.test.secret");
        }
    }

    @Test
    void aManagementHostOtherThanLoopbackIsWarnedAboutLoudly() throws Exception {
        java.io.StringWriter log = new java.io.StringWriter();
        org.apache.logging.log4j.core.LoggerContext ctx = (org.apache.logging.log4j.core.LoggerContext)
                org.apache.logging.log4j.LogManager.getContext(false);
        org.apache.logging.log4j.core.config.Configuration config = ctx.getConfiguration();
        org.apache.logging.log4j.core.appender.WriterAppender appender = org.apache.logging.log4j.core.appender.WriterAppender
                .newBuilder().setName("management-warning").setTarget(log).setConfiguration(config).build();
        appender.start();
        config.getRootLogger().addAppender(appender, org.apache.logging.log4j.Level.WARN, null);
        ctx.updateLoggers();
        try {
            h.set("harvester.management.host", "0.0.0.0");
            try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
                assertTrue(log.toString().contains("harvester.management.host is 0.0.0.0, not loopback")
                        && log.toString().contains("reverse proxy with TLS and authentication"), log.toString());
            }
        } finally {
            config.getRootLogger().removeAppender("management-warning");
            ctx.updateLoggers();
        }
    }

    /** A fresh node's labelled counters exist at zero for its providers and types: the dashboard's panels have data. */
    @Test
    void theFileCountersExistAtZeroBeforeTheFirstFile() throws Exception {
        try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
            service.start();
            String text = call("/observe/metrics").body();
            for (String type : List.of("application/pdf", "text/csv", "application/json")) {
                assertTrue(text.contains("harvester_files_delivered_total{content_type=\"" + type + "\",provider=\"akamai\"} 0.0"), text);
            }
            assertTrue(text.contains("harvester_bytes_delivered_total{provider=\"akamai\"} 0.0"), text);
        }
    }

    /** A management port another process holds stops the service at once, saying so: exit 75, which the unit restarts on. */
    @Test
    void aManagementPortInUseStopsTheServiceWithExitCode75() throws Exception {
        try (ServerSocket taken = new ServerSocket(port, 10, java.net.InetAddress.getLoopbackAddress())) {
            java.io.StringWriter err = new java.io.StringWriter();
            int code = io.invoiceharvester.cli.HarvesterCommand.execute(new java.io.PrintWriter(new java.io.StringWriter(), true),
                    new java.io.PrintWriter(err, true), "run", "--config", h.configFile().toString());
            assertEquals(75, code, err.toString());
            assertTrue(err.toString().contains("harvester.management.port: 127.0.0.1:" + port + " cannot be listened on"), err.toString());
        }
    }

    /**
     * camel-main would read CAMEL_MANAGEMENT_HOST and -Dcamel.management.host itself and listen on every interface:
     * the server stays on harvester.management.host (127.0.0.1). Checked from another address of this machine.
     */
    @Test
    void camelsOwnEnvironmentAndSystemPropertiesCannotMoveTheServerOffLoopback() throws Exception {
        java.net.InetAddress other = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "this machine has no address but loopback: skipped");
        java.nio.file.Path log = dir.resolve("run.log");
        java.util.List<String> cmd = new java.util.ArrayList<>(io.invoiceharvester.TestHarvest.javaCommand("run", "--config",
                h.configFile().toString()));
        cmd.add(1, "-Dcamel.management.host=0.0.0.0");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CAMEL_MANAGEMENT_HOST", "0.0.0.0");
        Process service = pb.start();
        try {
            io.invoiceharvester.TestHarvest.until("the health endpoint on 127.0.0.1", java.time.Duration.ofSeconds(60), () -> {
                try {
                    return call("/observe/health").statusCode() == 200;
                } catch (java.io.IOException notYet) {
                    return false;
                }
            });
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(other, port), 2000);
                org.junit.jupiter.api.Assertions.fail("the management server answers " + other + ": " + java.nio.file.Files.readString(log));
            } catch (java.net.ConnectException refused) {
                // listening on loopback only
            }
        } finally {
            service.destroy();
            service.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
