package io.invoiceharvester.cli;

import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.state.RunLock;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "once", mixinStandardHelpOptions = true,
        description = "One harvest, then exit. Without months: the current month and harvester.schedule.months-back before.")
class OnceCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    RunOptions run = new RunOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return harvest(options.load(), ConfigOptions.environment(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    int harvest(HarvesterConfig cfg, Map<String, String> env, PrintWriter out, PrintWriter err) {
        try (Harvester service = Harvester.prepare(cfg, env, false)) {
            RunRequest request = run.request("once", service);
            service.start();
            RunState run;
            try {
                run = service.harvest(request);
            } catch (RunLock.HeldException e) {
                return ExitCodes.lockHeld(err, e);
            }
            out.println(run.summaryLine());
            for (RunState.Failure f : run.getFailures()) {
                out.println("  failed: " + f.item() + ": " + f.message());
            }
            if (run.getFailureCount() > run.getFailures().size()) {
                out.println("  ... and " + (run.getFailureCount() - run.getFailures().size())
                        + " more failures: all of them are in the state database (run_failure, run " + run.getRunId() + ")");
            }
            out.flush();
            return run.exitCode();
        }
    }
}
