package io.invoiceharvester.config;

import io.invoiceharvester.model.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.LoggerFactory;

/**
 * The properties Camel Main runs a command with: the configuration, what validation derived from it (the
 * drop endpoint, base URLs), and the command's mode (only the `run` service starts the
 * schedule and the management server). Camel's own settings are camel.* properties, as in Camel's examples.
 */
public final class CamelProperties {

    private CamelProperties() {
    }

    public static Properties of(HarvesterConfig cfg, HarvesterSettings s, boolean service) {
        Properties props = cfg.toCamelProperties();
        // what Camel waits for in flight when stopping, after a run in flight wound down (Harvester.windDownThen)
        props.setProperty("camel.main.shutdown-timeout", "30");
        props.setProperty("harvester.akamai.base-url", s.baseUrl());
        props.setProperty("harvester.fastly.base-url", s.fastlyBaseUrl());
        props.setProperty("harvester.drop.uri", s.dropEndpoint());
        if (cfg.isSet("harvester.routes.dir")) {
            Path routes = cfg.getPath("harvester.routes.dir").toAbsolutePath();
            if (!Files.isDirectory(routes)) {
                throw new ConfigException("harvester.routes.dir: " + routes + " is not a folder");
            }
            props.setProperty("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
        }
        if (service) {
            managementServer(props, cfg);
        } else {
            // the schedule route is loaded (and checked) by every command, but only `run` starts it
            props.setProperty("camel.main.auto-startup-exclude-pattern", "harvest-schedule");
            props.setProperty("camel.component.quartz.auto-start-scheduler", "false");
        }
        return props;
    }

    /**
     * The `run` service's management server on harvester.management.host:port: /observe/health (routes
     * and the harvester's checks), /observe/metrics (Prometheus), /observe/jolokia (read-only policy).
     */
    private static void managementServer(Properties props, HarvesterConfig cfg) {
        int port = cfg.getInt("harvester.management.port", 0, 65535);
        props.setProperty("camel.management.enabled", "true");
        String host = cfg.get("harvester.management.host");
        if (!HarvesterSettings.isLoopback(host)) {
            LoggerFactory.getLogger(CamelProperties.class).warn("harvester.management.host is {}, not loopback: health and metrics"
                    + " answer other machines, unencrypted and without authentication (Jolokia still answers this machine"
                    + " only). Keep it on 127.0.0.1 and put a reverse proxy with TLS and authentication in front"
                    + " (docs/operations.md, 'The management port').", host);
        }
        props.setProperty("camel.management.host", host);
        props.setProperty("camel.management.port", Integer.toString(port));
        props.setProperty("camel.management.healthCheckEnabled", "true");
        props.setProperty("camel.health.exposureLevel", "full");
        props.setProperty("camel.management.metricsEnabled", "true");
        props.setProperty("camel.management.jolokiaEnabled", "true");
        props.setProperty("camel.metrics.enabled", "true");
    }
}
