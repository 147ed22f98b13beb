package io.invoiceharvester.config;

import io.invoiceharvester.http.Outbound;
import io.invoiceharvester.model.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How Camel Main runs the harvester: the folder of edited route files (harvester.routes.dir, null for the
 * packaged ones), whether the `run` service reloads a route file when it is saved (harvester.routes.reload), and
 * the `run` service's management server (harvester.management.host and .port) and Camel's command line
 * (harvester.management.camel-cli).
 */
public record CamelSettings(Path routesDir, boolean reload, String managementHost, int managementPort, boolean camelCli) {

    static CamelSettings of(HarvesterConfig cfg, Problems problems) {
        Path routes = problems.check(() -> routesDir(cfg), null);
        boolean reload = problems.check(() -> reload(cfg, routes), false);
        int port = problems.check(() -> cfg.getInt("harvester.management.port", 0, 65535), 0);
        boolean camelCli = problems.check(() -> cfg.getBoolean("harvester.management.camel-cli"), false);
        return new CamelSettings(routes, reload, cfg.get("harvester.management.host"), port, camelCli);
    }

    /** Whether the management server answers this machine only. */
    public boolean managementOnLoopback() {
        return Outbound.isLoopback(managementHost);
    }

    private static Path routesDir(HarvesterConfig cfg) {
        if (!cfg.isSet("harvester.routes.dir")) {
            return null;
        }
        Path routes = cfg.getPath("harvester.routes.dir").toAbsolutePath();
        if (!Files.isDirectory(routes)) {
            throw new ConfigException("harvester.routes.dir: " + routes + " is not a folder");
        }
        return routes;
    }

    /**
     * harvester.routes.reload, or Camel's own camel.main.routes-reload-enabled (an earlier README's recipe): the
     * harvester reloads the saved file only, and watches the routes folder itself (CamelProperties.of).
     */
    private static boolean reload(HarvesterConfig cfg, Path routes) {
        boolean reload = cfg.getBoolean("harvester.routes.reload") || "true".equalsIgnoreCase(camelReload(cfg, "enabled"));
        if (!reload) {
            return false;
        }
        if (!cfg.isSet("harvester.routes.dir")) {
            throw new ConfigException("harvester.routes.reload: the packaged routes are inside the jar; reload a copy of them"
                    + " (--routes DIR or harvester.routes.dir)");
        }
        String watched = camelReload(cfg, "directory");
        if (routes != null && watched != null && !Path.of(watched).toAbsolutePath().normalize().equals(routes.normalize())) {
            throw new ConfigException("camel.main.routes-reload-directory: " + watched + " is not the routes folder " + routes
                    + "; leave it unset, the harvester watches the routes folder");
        }
        if ("true".equalsIgnoreCase(camelReload(cfg, "remove-all-routes"))) {
            throw new ConfigException("camel.main.routes-reload-remove-all-routes: true removes every route but those of the saved"
                    + " file; leave it unset, the harvester reloads the saved file only");
        }
        return true;
    }

    /** A camel.main.routes-reload-* setting, in either of the spellings Camel accepts (routes-reload-x, routesReloadX). */
    static String camelReload(HarvesterConfig cfg, String option) {
        String wanted = relaxed("camel.main.routes-reload-" + option);
        for (String key : cfg.keys()) {
            if (relaxed(key).equals(wanted)) {
                return cfg.get(key);
            }
        }
        return null;
    }

    static String relaxed(String key) {
        return key.replace("-", "").toLowerCase(Locale.ROOT);
    }
}
