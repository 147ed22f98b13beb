package io.invoiceharvester.cli;

import io.invoiceharvester.config.ConfigException;
import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.run.RunReport;
import io.invoiceharvester.run.RunRequest;
import io.invoiceharvester.state.RunLock;
import java.io.PrintWriter;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "once", mixinStandardHelpOptions = true,
        description = "One harvest, then exit. Without months: the current month and harvester.schedule.months-back before.")
class OnceCommand implements Callable<Integer> {

    static final int MAX_MONTHS = 120;

    @Mixin
    ConfigOptions options;

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "a billing month (repeatable)")
    List<YearMonth> months = new ArrayList<>();

    @Option(names = "--from", paramLabel = "YYYY-MM", description = "first month of a range")
    YearMonth from;

    @Option(names = "--to", paramLabel = "YYYY-MM", description = "last month of a range (default: the current month)")
    YearMonth to;

    @Option(names = "--provider", paramLabel = "akamai|fastly", description = "only this provider")
    String provider;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return harvest(options.load(), ConfigOptions.environment(), spec.commandLine().getOut());
    }

    int harvest(HarvesterConfig cfg, Map<String, String> env, PrintWriter out) {
        try (Harvester service = Harvester.prepare(cfg, env, false)) {
            RunRequest request = new RunRequest("once", months(service), providers(service));
            service.start();
            RunReport report;
            try {
                report = service.harvest(request);
            } catch (RunLock.HeldException e) {
                return ExitCodes.lockHeld(out, e);
            }
            out.println(report.summaryLine());
            for (RunReport.Failure f : report.getFailures()) {
                out.println("  failed: " + f.item() + ": " + f.message());
            }
            if (report.getFailureCount() > report.getFailures().size()) {
                out.println("  ... and " + (report.getFailureCount() - report.getFailures().size())
                        + " more failures: all of them are in the state database (run_failure, run " + report.getRunId() + ")");
            }
            out.flush();
            return report.exitCode();
        }
    }

    private List<YearMonth> months(Harvester service) {
        TreeSet<YearMonth> all = new TreeSet<>(months);
        if (to != null && from == null) {
            throw new ConfigException("--to needs --from");
        }
        if (from != null) {
            YearMonth last = to != null ? to : YearMonth.now();
            if (last.isBefore(from)) {
                throw new ConfigException("--from " + from + " is after --to " + last);
            }
            for (YearMonth m = from; !m.isAfter(last) && all.size() <= MAX_MONTHS; m = m.plusMonths(1)) {
                all.add(m);
            }
        }
        if (all.size() > MAX_MONTHS) {
            throw new ConfigException("--month/--from/--to: more than " + MAX_MONTHS + " months in one run");
        }
        return all.isEmpty() ? service.planner().defaultMonths() : List.copyOf(all);
    }

    private List<String> providers(Harvester service) {
        List<String> enabled = service.planner().providers();
        if (provider == null) {
            return enabled;
        }
        if (!provider.equals("akamai") && !provider.equals("fastly")) {
            throw new ConfigException("--provider: '" + provider + "' is neither akamai nor fastly");
        }
        if (!enabled.contains(provider)) {
            throw new ConfigException("--provider " + provider + ": harvester." + provider + ".enabled is false");
        }
        return List.of(provider);
    }
}
