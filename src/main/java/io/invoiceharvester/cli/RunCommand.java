package io.invoiceharvester.cli;

import io.invoiceharvester.model.ConfigException;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Long-running service: harvests on the Quartz schedule harvester.schedule.cron until stopped.")
class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOptions options;

    @Option(names = "--exit-when-started",
            description = "start everything, then stop at once: the training run of a class-data sharing archive (see deploy/)")
    boolean exitWhenStarted;

    /** Every stop says why: a signal (SignalStop), --exit-when-started, or the error that ended it. */
    @Override
    public Integer call() throws Exception {
        try (Harvester service = Harvester.prepare(options.load(), ConfigOptions.environment(), true)) {
            if (exitWhenStarted) {
                service.runUntilStarted();
                LOG.info("the service stopped: --exit-when-started");
            } else {
                service.runUntilStopped();
                LOG.info("the service stopped");
            }
        } catch (ConfigException e) {
            throw e; // said on stderr, one line per problem
        } catch (Exception e) {
            LOG.error("the service stops: {}", e.getMessage());
            throw e;
        }
        return ExitCodes.OK;
    }
}
