package io.invoiceharvester.ops;

import io.invoiceharvester.config.RouteProblem;
import io.invoiceharvester.model.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * harvester.routes.reload: a saved route file of the routes folder is loaded again while the service runs.
 * Only that file's routes are replaced (by id); the others run on. A file holding a route configuration or a
 * template reloads every route file, for a route takes those up only when it is created. After a reload the
 * schedule's Quartz trigger is resumed: Camel pauses it when the old route stops and its new route finds it
 * scheduled already and never resumes it, so the schedule would stop firing. A file that cannot be loaded is
 * named in one ERROR line (file, line, route, step, what to do), and /observe/health says which routes are
 * missing or stopped (RouteHealth).
 */
public class RouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(RouteReload.class);
    private static final String PATTERN = "*.camel.yaml";

    private final Path folder;

    public RouteReload(Path folder) {
        super(folder.toString(), false);
        this.folder = folder;
        setPattern(PATTERN);
        setRemoveAllRoutes(false);
    }

    @Override
    protected void onRouteReload(Collection<Resource> saved, boolean removeEverything) {
        Collection<Resource> reload = saved != null && saved.stream().anyMatch(RouteReload::sharedByRoutes) ? everyRouteFile() : saved;
        try {
            super.onRouteReload(reload, removeEverything);
        } catch (RuntimeException e) {
            ConfigException problem = RouteProblem.of(getCamelContext(), e);
            LOG.error("route file not reloaded, its routes stay out until a save loads it (/observe/health names them): {}", problem != null ? problem.getMessage() : e.getMessage());
        } finally {
            resumeSchedules();
        }
    }

    /** A route configuration or a template: each route takes it up when it is created. */
    private static boolean sharedByRoutes(Resource file) {
        try (InputStream in = file.getInputStream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().anyMatch(line -> line.startsWith("- routeConfiguration:") || line.startsWith("- routeTemplate:"));
        } catch (IOException e) {
            return false;
        }
    }

    private Collection<Resource> everyRouteFile() {
        List<Resource> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path file : list.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList()) {
                files.add(PluginHelper.getResourceLoader(getCamelContext()).resolveResource("file:" + file.toAbsolutePath()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        LOG.info("a route configuration or template was saved: reloading every route file of {}", folder);
        return files;
    }

    /** A started schedule route whose trigger is paused fires no more: resume it. */
    private void resumeSchedules() {
        for (Route route : getCamelContext().getRoutes()) {
            Endpoint endpoint = route.getEndpoint();
            if (endpoint instanceof QuartzEndpoint quartz
                    && getCamelContext().getRouteController().getRouteStatus(route.getRouteId()) == ServiceStatus.Started) {
                try {
                    Scheduler scheduler = quartz.getComponent().getScheduler();
                    if (scheduler.getTriggerState(quartz.getTriggerKey()) == Trigger.TriggerState.PAUSED) {
                        scheduler.resumeTrigger(quartz.getTriggerKey());
                        LOG.info("route {} reloaded: its schedule fires again", route.getRouteId());
                    }
                } catch (SchedulerException e) {
                    LOG.error("route {} reloaded, but its schedule could not be resumed: {}", route.getRouteId(), e.getMessage());
                }
            }
        }
    }
}
