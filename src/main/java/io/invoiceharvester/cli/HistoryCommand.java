package io.invoiceharvester.cli;

import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.state.StateDatabase;
import io.invoiceharvester.state.StateReport;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** invoice-harvester history [--limit N] [--failed] | history RUN_ID. Read-only. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Past runs, newest first, one line each; with a run id, that run's files and failures.",
            "Changes nothing."})
class HistoryCommand implements Callable<Integer> {

    @Mixin
    StateOptions options;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "how many runs (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--failed", description = "only runs that did not end with exit code 0")
    boolean failed;

    @Parameters(arity = "0..1", paramLabel = "RUN_ID", description = "one run: its files and failures")
    String runId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (limit < 1) {
            spec.commandLine().getErr().println(spec.qualifiedName(" ") + ": --limit: must be at least 1; see `"
                    + spec.qualifiedName(" ") + " --help`");
            return ExitCodes.CONFIG;
        }
        HarvesterConfig cfg = options.load();
        try (StateDatabase state = options.openForReading(cfg)) {
            StateReport report = new StateReport(state.dataSource());
            if (runId != null) {
                return oneRun(report, out);
            }
            List<StateReport.Run> runs = report.runs(limit, failed);
            if (options.json) {
                StateOptions.printJson(out, runs);
                return ExitCodes.OK;
            }
            out.printf("%-36s  %-10s  %-25s  %-4s  %6s  %6s  %6s  %s%n", "RUN", "TRIGGER", "STARTED", "EXIT", "LISTED", "STORED",
                    "FAILED", "MONTHS");
            for (StateReport.Run r : runs) {
                out.printf("%-36s  %-10s  %-25s  %-4s  %6s  %6s  %6s  %s%n", r.runId(), r.trigger(), r.startedAt(),
                        r.exitCode() == null ? "-" : r.exitCode(), dash(r.filesListed()), dash(r.filesStored()), dash(r.filesFailed()),
                        r.months());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private int oneRun(StateReport report, PrintWriter out) throws Exception {
        StateReport.Run run = report.run(runId);
        if (run == null) {
            spec.commandLine().getErr().println("history: no run " + runId + " in the state database");
            return ExitCodes.CONFIG;
        }
        List<StateReport.StoredFile> files = report.files(runId, null);
        List<StateReport.Failure> failures = report.failures(runId);
        if (options.json) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("run", run);
            all.put("files", files);
            all.put("failures", failures);
            StateOptions.printJson(out, all);
            return ExitCodes.OK;
        }
        out.println("run " + run.runId() + " (" + run.trigger() + ", " + run.months() + "), started " + run.startedAt()
                + ", exit code " + (run.exitCode() == null ? "- (not finished)" : run.exitCode()));
        out.println(files.size() + " files stored:");
        for (StateReport.StoredFile f : files) {
            out.println("  " + f.provider() + " " + f.accountId() + " " + f.month() + " invoice " + f.invoiceId() + " v" + f.version()
                    + " " + f.fileName());
        }
        out.println(failures.size() + " failures:");
        for (StateReport.Failure f : failures) {
            out.println("  " + f.kind() + " " + f.item() + ": " + f.message());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String dash(Object v) {
        return v == null ? "-" : v.toString();
    }
}
