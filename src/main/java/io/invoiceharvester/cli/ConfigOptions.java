package io.invoiceharvester.cli;

import io.invoiceharvester.config.HarvesterConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every harvesting command takes: the configuration file and an edited routes folder. */
public class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "properties file over the packaged defaults (see config/application.properties)")
    Path config;

    @Option(names = "--routes", paramLabel = "DIR",
            description = "folder of *.camel.yaml routes to use instead of the packaged ones")
    Path routes;

    @Option(names = "--verbose", description = "log what the command does (Camel's start-up included), not only warnings")
    boolean verbose;

    HarvesterConfig load() {
        HarvesterConfig cfg = HarvesterConfig.load(config, environment(), System.getProperties());
        return routes == null ? cfg : cfg.with("harvester.routes.dir", routes.toString());
    }

    /**
     * An operator command prints its answer and the warnings; Camel's start-up and the routes' details are
     * logged only with --verbose (the `run` service and `once` log as they always do).
     */
    ConfigOptions quietUnlessVerbose() {
        if (!verbose) {
            Logging.quiet();
        }
        return this;
    }

    static Map<String, String> environment() {
        return System.getenv();
    }

    /** An operator command's harvester (quiet unless --verbose): settings validated, the state database open. */
    Harvester harvester() {
        return harvester(quietUnlessVerbose().load());
    }

    /** The same, for a command that read the configuration first. */
    static Harvester harvester(HarvesterConfig cfg) {
        return Harvester.prepare(cfg, environment(), false);
    }
}
