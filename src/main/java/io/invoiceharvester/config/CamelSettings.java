package io.invoiceharvester.config;

import io.invoiceharvester.model.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How Camel Main runs the harvester: the folder of edited route files (harvester.routes.dir, null for the
 * packaged ones) and the `run` service's management server (harvester.management.host and .port).
 */
public record CamelSettings(Path routesDir, String managementHost, int managementPort) {

    static CamelSettings of(HarvesterConfig cfg, Problems problems) {
        Path routes = problems.check(() -> routesDir(cfg), null);
        int port = problems.check(() -> cfg.getInt("harvester.management.port", 0, 65535), 0);
        return new CamelSettings(routes, cfg.get("harvester.management.host"), port);
    }

    /** Whether the management server answers this machine only. */
    public boolean managementOnLoopback() {
        return ApiUrl.isLoopback(managementHost);
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
}
