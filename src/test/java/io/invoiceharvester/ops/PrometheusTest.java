package io.invoiceharvester.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.sandbox.Sandbox;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules and the dashboard of deploy/: the rules pass their promtool tests, and a real Prometheus
 * scraping a running `run` service (on the sandbox) finds every series a rule or a dashboard panel uses,
 * runs every panel's query (its variables substituted) to an answer, and evaluates every rule without an
 * error. Needs Debian's `prometheus` package (promtool and the server; `.ci/run` installs it).
 */
class PrometheusTest {

    static final Path RULES = Path.of("deploy/prometheus/alerts.yml");
    static final Path DASHBOARD = Path.of("deploy/grafana/invoice-harvester.json");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern SERIES = Pattern.compile("\\b(harvester_[a-z_]+|up)\\b(?![_(])");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private static String binary(String name) {
        for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(folder, name))) {
                return Path.of(folder, name).toString();
            }
        }
        assumeTrue(false, name + " not found: install Debian's prometheus package (.ci/run does) to test deploy/prometheus");
        return null;
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(Path.of("deploy/prometheus").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }

    @Test
    void theAlertRulesPassTheirPromtoolTests() throws Exception {
        String promtool = binary("promtool");
        run(promtool, "check", "rules", "alerts.yml");
        run(promtool, "check", "config", "prometheus.yml");
        assertTrue(run(promtool, "test", "rules", "alerts.test.yml").contains("SUCCESS"));
    }

    @Test
    void aRealPrometheusScrapingARunServiceFindsEverySeriesAndAnswersEveryPanel() throws Exception {
        String prometheus = binary("prometheus");
        int management = freePort();
        int prometheusPort = freePort();
        Process service = null;
        Process server = null;
        try (Sandbox sandbox = Sandbox.start(0)) {
            Path config = TestHarvest.sandboxConfig(sandbox, dir.resolve("harvester"), Map.of(
                    "harvester.management.port", Integer.toString(management),
                    "harvester.schedule.cron", "0/5 * * * * ?",
                    "harvester.mail.when", "always"));
            Path serviceLog = dir.resolve("run.log");
            service = new ProcessBuilder(TestHarvest.javaCommand("run", "--config", config.toString()))
                    .redirectErrorStream(true).redirectOutput(serviceLog.toFile()).start();

            // the shipped configuration, pointed at this service and scraping every second
            Path prom = Files.createDirectories(dir.resolve("prometheus"));
            Files.copy(RULES, prom.resolve("alerts.yml"));
            Files.writeString(prom.resolve("prometheus.yml"), Files.readString(Path.of("deploy/prometheus/prometheus.yml"))
                    .replace("127.0.0.1:9876", "127.0.0.1:" + management).replace("30s", "1s"));
            Path serverLog = dir.resolve("prometheus.log");
            server = new ProcessBuilder(prometheus, "--config.file=" + prom.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + prom.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                    .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
            String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/";
            long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!ready("http://127.0.0.1:" + prometheusPort + "/-/ready") && System.nanoTime() < ready) {
                assertTrue(server.isAlive(), Files.readString(serverLog));
                Thread.sleep(200);
            }

            // a scheduled run has stored files, and Prometheus has scraped it since for over a minute's worth of samples
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (query(api, "harvester_files_delivered_total > 0").isEmpty() && System.nanoTime() < deadline) {
                assertTrue(service.isAlive(), Files.readString(serviceLog));
                assertTrue(server.isAlive(), Files.readString(serverLog));
                Thread.sleep(500);
            }
            assertTrue(!query(api, "harvester_files_delivered_total > 0").isEmpty(), "no harvest scraped:\n" + Files.readString(serviceLog));
            Thread.sleep(3000);

            Set<String> used = new TreeSet<>();
            List<String[]> panelQueries = new ArrayList<>();
            for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText();
                    panelQueries.add(new String[] {panel.path("title").asText(), expr});
                    used.addAll(series(expr));
                }
            }
            for (String line : Files.readAllLines(RULES)) {
                if (!line.trim().startsWith("#") && !line.trim().startsWith("summary:") && !line.trim().startsWith("description:")) {
                    used.addAll(series(line));
                }
            }
            assertTrue(used.size() > 10, "the rules and panels use the harvester's series: " + used);
            for (String name : used) {
                assertTrue(!query(api, "{__name__=\"" + name + "\"}").isEmpty(), name + " is used by a rule or a panel but not exported");
            }
            for (String[] panel : panelQueries) {
                String expr = panel[1].replace("$job", "invoice-harvester").replace("$__rate_interval", "1m");
                assertTrue(!query(api, expr).isEmpty(), "panel '" + panel[0] + "' gives no data: " + expr);
            }

            JsonNode groups = get(api + "rules").path("data").path("groups");
            assertEquals(1, groups.size(), groups.toString());
            int rules = 0;
            for (JsonNode rule : groups.get(0).path("rules")) {
                assertEquals("ok", rule.path("health").asText(), rule.toString());
                rules++;
            }
            assertEquals(11, rules, "every rule of alerts.yml is loaded and evaluates");
        } finally {
            for (Process p : new Process[] {server, service}) {
                if (p != null) {
                    p.destroy();
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    private static Set<String> series(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = SERIES.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The query's result at this moment; an error fails the test. */
    private JsonNode query(String api, String expr) throws Exception {
        JsonNode answer = get(api + "query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        assertEquals("success", answer.path("status").asText(), expr + " -> " + answer);
        return answer.path("data").path("result");
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private boolean ready(String url) throws Exception {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false; // not listening yet
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
