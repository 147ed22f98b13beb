package io.invoiceharvester.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Long-running service: harvests on the Quartz schedule harvester.schedule.cron until stopped.")
class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--exit-when-started",
            description = "start everything, then stop at once: the training run of a class-data sharing archive (see deploy/)")
    boolean exitWhenStarted;

    @Override
    public Integer call() throws Exception {
        try (Harvester service = Harvester.prepare(options.load(), ConfigOptions.environment(), true)) {
            if (exitWhenStarted) {
                service.runUntilStarted();
            } else {
                service.runUntilStopped();
            }
        }
        return ExitCodes.OK;
    }
}
