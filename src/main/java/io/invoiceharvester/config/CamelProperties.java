package io.invoiceharvester.config;

import io.invoiceharvester.ledger.publish.PublishTarget;
import io.invoiceharvester.model.ConfigException;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.spi.PropertiesSource;
import org.slf4j.LoggerFactory;

/**
 * The properties Camel Main runs a command with: the user's configuration as they set it, the values derived
 * from it under names of their own, and the command's mode (only the `run` service starts the schedule and the
 * management server). Camel's own settings are camel.* properties, as in Camel's examples.
 */
public final class CamelProperties {

    /** Derived value → the key it is derived from. The user sets the latter; the routes read the former. */
    static final Map<String, String> DERIVED = Map.of(
            "harvester.drop.endpoint", "harvester.drop.uri",
            "harvester.ledger.publish-endpoint", "harvester.ledger.publish-uri",
            "harvester.akamai.api-url", "harvester.akamai.base-url",
            "harvester.fastly.api-url", "harvester.fastly.base-url");

    /** The one type the drop takes, for the routes: store-file drops it, drop-pending finds it again. */
    static final String DROP_CONTENT_TYPE = "harvester.drop.content-type";

    private CamelProperties() {
    }

    public static Properties of(HarvesterConfig cfg, HarvesterSettings s, boolean service) {
        Properties props = cfg.toCamelProperties();
        // camel-main would read CAMEL_* environment variables and -Dcamel.* itself, over these properties:
        // HarvesterConfig layers -D in already, and CAMEL_MANAGEMENT_HOST=0.0.0.0 must not move the management
        // server off harvester.management.host
        props.setProperty("camel.main.autoConfigurationEnvironmentVariablesEnabled", "false");
        props.setProperty("camel.main.autoConfigurationSystemPropertiesEnabled", "false");
        // what Camel waits for in flight when stopping, after a run in flight wound down (Harvester.windDownThen)
        props.setProperty("camel.main.shutdown-timeout", "30");
        // the routes once read these as the derived values: a route copy that still does fails at start (Placeholders)
        DERIVED.values().forEach(props::remove);
        props.setProperty("harvester.drop.endpoint", s.drop().endpoint());
        props.setProperty(DROP_CONTENT_TYPE, "application/pdf");
        props.setProperty("harvester.ledger.publish-endpoint", PublishTarget.endpointUri(s.ledger().publish()));
        props.setProperty("harvester.akamai.api-url", s.akamai().apiUrl());
        props.setProperty("harvester.fastly.api-url", s.fastly().apiUrl());
        if (s.camel().routesDir() != null) {
            props.setProperty("camel.main.routes-include-pattern", "file:" + s.camel().routesDir() + "/*.camel.yaml");
        }
        // the harvester reloads a saved route file itself (ops/RouteReload): Camel's own reloader would remove every
        // route but the saved file's, and leave the schedule's trigger paused
        props.stringPropertyNames().stream()
                .filter(k -> CamelSettings.relaxed(k).startsWith(CamelSettings.relaxed("camel.main.routes-reload-")))
                .forEach(props::remove);
        if (s.camel().reload()) {
            // a reloaded route keeps its counters: Hawtio and Prometheus do not lose a route's history to a save
            props.setProperty("camel.metrics.clearOnReload", "false");
        }
        if (service) {
            managementServer(props, s.camel());
        } else {
            // the schedule route is loaded (and checked) by every command, but only `run` starts it
            props.setProperty("camel.main.auto-startup-exclude-pattern", "harvest-schedule");
            props.setProperty("camel.component.quartz.auto-start-scheduler", "false");
        }
        return props;
    }

    /**
     * The routes' {{…}} placeholders resolve from these properties only. Camel would read -D and environment
     * variables itself, ahead of them: HARVESTER_DROP_URI would reach a route as typed, an SFTP drop without
     * host-key checking. HarvesterConfig has layered both in already, validated. A placeholder whose value moved
     * to a derived name fails the start, naming the new one.
     */
    public static void placeholders(CamelContext context) {
        PropertiesComponent properties = (PropertiesComponent) context.getPropertiesComponent();
        properties.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
        properties.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
        properties.addPropertiesSource(new PropertiesSource() {
            @Override
            public String getName() {
                return "harvester-moved-placeholders";
            }

            @Override
            public String getProperty(String name) {
                for (Map.Entry<String, String> moved : DERIVED.entrySet()) {
                    if (moved.getValue().equals(name)) {
                        throw new ConfigException("{{" + name + "}} in a route: the routes read {{" + moved.getKey() + "}}, the value"
                                + " the harvester derives from " + name + "; rename it in the route file");
                    }
                }
                return null;
            }
        });
    }

    /**
     * The `run` service's management server on harvester.management.host:port: /observe/health (routes
     * and the harvester's checks), /observe/metrics (Prometheus), /observe/jolokia (read-only policy).
     */
    private static void managementServer(Properties props, CamelSettings camel) {
        props.setProperty("camel.management.enabled", "true");
        if (!camel.managementOnLoopback()) {
            LoggerFactory.getLogger(CamelProperties.class).warn("harvester.management.host is {}, not loopback: health and metrics"
                    + " answer other machines, unencrypted and without authentication (Jolokia still answers this machine"
                    + " only). Keep it on 127.0.0.1 and put a reverse proxy with TLS and authentication in front"
                    + " (docs/operations.md, 'The management port').", camel.managementHost());
        }
        props.setProperty("camel.management.host", camel.managementHost());
        props.setProperty("camel.management.port", Integer.toString(camel.managementPort()));
        props.setProperty("camel.management.healthCheckEnabled", "true");
        props.setProperty("camel.health.exposureLevel", "full");
        props.setProperty("camel.management.metricsEnabled", "true");
        props.setProperty("camel.management.jolokiaEnabled", "true");
        props.setProperty("camel.metrics.enabled", "true");
        if (camel.camelCli()) {
            // what `camel get` and `camel top` read; Camel calls its dev consoles "not for production"
            props.setProperty("camel.main.dev-console-enabled", "true");
            LoggerFactory.getLogger(CamelProperties.class).warn("harvester.management.camel-cli is on: `camel ps`, `camel get` and"
                    + " `camel top` see this service, and any process that can write {}/.camel can stop or reload its routes"
                    + " through the connector, outside the Jolokia policy (docs/operations.md, 'Camel's own command line')",
                    System.getProperty("user.home"));
        }
    }
}
