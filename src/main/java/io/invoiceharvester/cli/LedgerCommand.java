package io.invoiceharvester.cli;

import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.model.RunState;
import java.io.PrintWriter;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** invoice-harvester ledger rebuild: the ledger again from the archive. */
@Command(name = "ledger", mixinStandardHelpOptions = true, description = "Works on the FOCUS ledger.",
        subcommands = LedgerCommand.Rebuild.class)
class LedgerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = {"Rebuilds the ledger's tables and exports from the archived files and the state database:",
                "no API call, no download, no mail. Idempotent. Takes the run lock as 'operator: ledger rebuild'."})
    static class Rebuild implements Callable<Integer> {

        static final String HOLDER = "operator: ledger rebuild";

        @Mixin
        ConfigOptions options;

        @Option(names = "--month", paramLabel = "YYYY-MM", description = "a month to rebuild (repeatable); default: every month")
        List<YearMonth> months = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (Harvester service = options.harvester()) {
                return OperatorLock.run(service.runLock(), HOLDER, spec.commandLine().getErr(), lease -> {
                    service.start();
                    RunState run = new RunState(UUID.randomUUID().toString(), new RunRequest("operator", months, List.of()));
                    List<YearMonth> rebuilt = service.rebuildLedger(run, months);
                    List<YearMonth> stale = service.ledgerExport().pendingMonths();
                    out.println("ledger rebuilt: " + rebuilt.size() + " months from the archive; exported "
                            + rebuilt.stream().filter(m -> !stale.contains(m)).toList());
                    for (RunState.Failure f : run.getFailures()) {
                        out.println("  failed: " + f.item() + ": " + f.message());
                    }
                    if (!stale.isEmpty()) {
                        out.println("  failed: not exported (see the log): " + stale);
                    }
                    out.flush();
                    return run.getFailureCount() == 0 && stale.isEmpty() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
                });
            }
        }
    }
}
