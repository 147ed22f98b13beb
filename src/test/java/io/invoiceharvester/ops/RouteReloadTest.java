package io.invoiceharvester.ops;

import static io.invoiceharvester.TestHarvest.edit;
import static io.invoiceharvester.TestHarvest.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.Harvester;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * harvester.routes.reload, as an engineer uses it: the service runs on a route copy, a file is saved, and only that
 * file's routes are replaced, the others keep running and counting; the schedule fires on after its own file is saved
 * (also on PostgreSQL's clustered Quartz store); a saved route configuration reaches the routes; health says when a
 * route is not running.
 */
class RouteReloadTest extends HarvestTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @EnumSource(TestHarvest.StateDb.class)
    void aSavedFileIsReloadedAloneAndTheScheduleFiresOn(TestHarvest.StateDb db) throws Exception {
        on(db).withFastly();
        Path routes = h.routesCopy();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        h.set("harvester.akamai.enabled", "false").set("harvester.management.port", Integer.toString(port))
                .set("harvester.schedule.cron", "0/2 * * * * ?").set("harvester.schedule.months-back", "0")
                .set("harvester.routes.dir", routes.toString()).set("harvester.routes.reload", "true");
        try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
            service.start();
            CamelContext camel = service.camelContext();
            Set<String> before = routeIds(camel);
            until("a scheduled run", WAIT, () -> finishedRuns() >= 1);
            long exchanges = harvestRunExchanges(port);

            // one file saved: its route changes, every other route runs on
            edit(routes.resolve("drop.camel.yaml"), "id: drop-name", "id: drop-file-name");
            until("drop.camel.yaml reloaded", WAIT, () -> camel.getRoute("drop-pdf") != null
                    && !camel.getRoute("drop-pdf").filter("drop-file-name").isEmpty() && routeIds(camel).equals(before));
            assertTrue(before.stream().allMatch(id -> camel.getRouteController().getRouteStatus(id) == ServiceStatus.Started));
            assertTrue(harvestRunExchanges(port) >= exchanges, "the routes that were not reloaded keep their counters");

            // the schedule's own file saved: it fires on
            edit(routes.resolve("schedule.camel.yaml"), "id: drop-quartz-headers", "id: clear-quartz-headers");
            until("schedule.camel.yaml reloaded", WAIT, () -> !camel.getRoute("harvest-schedule").filter("clear-quartz-headers").isEmpty());
            long runs = finishedRuns();
            until("two scheduled runs after the reload", WAIT, () -> finishedRuns() >= runs + 2);

            // a route configuration saved: the routes that use it take it up
            edit(routes.resolve("error-handling.camel.yaml"), "id: record-not-served", "id: record-file-not-served");
            Set<String> handled = before.stream().filter(id -> "harvester-error-handling".equals(
                    ((ModelCamelContext) camel).getRouteDefinition(id).getRouteConfigurationId())).collect(Collectors.toSet());
            until("error-handling.camel.yaml taken up by the " + handled.size() + " routes that use it", WAIT, () -> routeIds(camel).equals(before)
                    && handled.stream().allMatch(id -> hasStep(camel, id, "record-file-not-served")));

            HttpResponse<String> health = get(port, "/observe/health?data=true");
            assertEquals(200, health.statusCode(), health.body());

            // a route that stops is named, and health goes DOWN
            camel.getRouteController().stopRoute("drop-pdfs");
            health = get(port, "/observe/health?data=true");
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("stopped routes: drop-pdfs (Stopped)"), health.body());
            camel.removeRoute("drop-pdfs");
            health = get(port, "/observe/health?data=true");
            assertTrue(health.body().contains("missing routes: drop-pdfs"), health.body());
        }
    }

    /** Whether the route was created with a step of that id: its route configuration's steps are part of its definition. */
    private static boolean hasStep(CamelContext camel, String routeId, String stepId) {
        RouteDefinition route = ((ModelCamelContext) camel).getRouteDefinition(routeId);
        return route != null && ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ProcessorDefinition.class).stream()
                .anyMatch(step -> stepId.equals(step.getId()));
    }

    private long finishedRuns() throws Exception {
        return h.count("SELECT COUNT(*) FROM harvest_run WHERE finished_at IS NOT NULL");
    }

    private static Set<String> routeIds(CamelContext camel) {
        return camel.getRoutes().stream().map(Route::getRouteId).collect(Collectors.toSet());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long harvestRunExchanges(int port) throws Exception {
        Matcher m = Pattern.compile("(?m)^camel_route_policy_seconds_count\\{[^}]*routeId=\"harvest-run\"[^}]*\\} ([0-9.]+)")
                .matcher(get(port, "/observe/metrics").body());
        assertTrue(m.find(), "harvest-run's timer (camel.metrics.clearOnReload would remove it)");
        return (long) Double.parseDouble(m.group(1));
    }
}
