package io.invoiceharvester.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Long-running service: harvests on the Quartz schedule harvester.schedule.cron until stopped.")
class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        try (Harvester service = Harvester.prepare(options.load(), ConfigOptions.environment(), true)) {
            service.runUntilStopped();
        }
        return ExitCodes.OK;
    }
}
