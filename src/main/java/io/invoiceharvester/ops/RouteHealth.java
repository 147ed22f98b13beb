package io.invoiceharvester.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.quartz.Trigger;

/**
 * The check harvester-routes on /observe/health: DOWN while a route the harvester needs is missing or not
 * started, or the schedule's trigger does not fire. The routes it needs are those of the packaged route files and
 * those running when the service started (an edited copy's own), read from the files and the running context,
 * so that a renamed route is expected under its new name. Camel's own route checks cannot see a route that is
 * gone: a reload that left routes out stayed UP.
 */
public final class RouteHealth extends AbstractHealthCheck {

    private static final String PACKAGED = "classpath:routes/*.camel.yaml";
    private static final YAMLMapper YAML = new YAMLMapper();

    private final CamelContext context;
    private volatile Set<String> expected = Set.of();

    public RouteHealth(CamelContext context) {
        super("harvester", "harvester-routes");
        this.context = context;
    }

    /** Once the service has started: the packaged routes' ids and those running now. */
    public void started() throws Exception {
        Set<String> ids = new TreeSet<>(packagedRouteIds(context));
        context.getRoutes().forEach(route -> ids.add(route.getRouteId()));
        expected = Set.copyOf(ids);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> missing = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        for (String id : new TreeSet<>(expected)) {
            ServiceStatus status = context.getRouteController().getRouteStatus(id);
            if (context.getRoute(id) == null) {
                missing.add(id);
            } else if (status != ServiceStatus.Started) {
                stopped.add(id + " (" + status + ")");
            }
        }
        List<String> paused = pausedSchedules();
        builder.detail("routes.expected", expected.size());
        builder.detail("routes.running", expected.size() - missing.size() - stopped.size());
        if (missing.isEmpty() && stopped.isEmpty() && paused.isEmpty()) {
            builder.up();
            return;
        }
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("missing routes: " + String.join(", ", missing));
        }
        if (!stopped.isEmpty()) {
            problems.add("stopped routes: " + String.join(", ", stopped));
        }
        if (!paused.isEmpty()) {
            problems.add("schedules that do not fire: " + String.join(", ", paused));
        }
        builder.down().message(String.join("; ", problems));
    }

    /** Schedule routes whose Quartz trigger is paused or gone. */
    private List<String> pausedSchedules() {
        List<String> paused = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof QuartzEndpoint quartz
                    && context.getRouteController().getRouteStatus(route.getRouteId()) == ServiceStatus.Started) {
                try {
                    Trigger.TriggerState state = quartz.getComponent().getScheduler().getTriggerState(quartz.getTriggerKey());
                    if (state == Trigger.TriggerState.PAUSED || state == Trigger.TriggerState.NONE) {
                        paused.add(route.getRouteId() + " (trigger " + state + ")");
                    }
                } catch (Exception e) {
                    paused.add(route.getRouteId() + " (" + e.getMessage() + ")");
                }
            }
        }
        return paused;
    }

    /** The route ids the packaged route files define (templated routes too). */
    static Set<String> packagedRouteIds(CamelContext context) throws Exception {
        Set<String> ids = new TreeSet<>();
        for (Resource file : PluginHelper.getPackageScanResourceResolver(context).findResources(PACKAGED)) {
            try (InputStream in = file.getInputStream()) {
                for (JsonNode item : YAML.readTree(in)) {
                    String id = item.path("route").path("id").asText(item.path("templatedRoute").path("routeId").asText(""));
                    if (!id.isEmpty()) {
                        ids.add(id);
                    }
                }
            } catch (IOException e) {
                throw new IOException(file.getLocation() + ": " + e.getMessage(), e);
            }
        }
        return ids;
    }
}
