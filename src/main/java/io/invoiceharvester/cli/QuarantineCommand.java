package io.invoiceharvester.cli;

import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.state.QuarantineLog;
import io.invoiceharvester.state.StateDatabase;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** invoice-harvester quarantine list | discard ID | release ID. */
@Command(name = "quarantine", mixinStandardHelpOptions = true, description = "Files that failed validation, one row each.",
        subcommands = {QuarantineCommand.ListFiles.class, QuarantineCommand.Discard.class, QuarantineCommand.Release.class})
class QuarantineCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Quarantined files: id, file, reason, first and last seen, attempts, discarded. Changes nothing.")
    static class ListFiles implements Callable<Integer> {
        @Mixin
        StateOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            HarvesterConfig cfg = options.load();
            try (StateDatabase state = options.openForReading(cfg)) {
                List<QuarantineLog.Entry> entries = new QuarantineLog(state.dataSource()).list();
                if (options.json) {
                    StateOptions.printJson(out, entries);
                    return ExitCodes.OK;
                }
                if (entries.isEmpty()) {
                    out.println("nothing is quarantined");
                }
                for (QuarantineLog.Entry e : entries) {
                    out.println("#" + e.id() + "  " + e.provider() + " " + e.accountId() + " " + e.month() + " invoice " + e.invoiceId()
                            + " v" + e.version() + " " + e.fileName() + (e.discardedAt() == null ? "" : "  DISCARDED " + e.discardedAt()));
                    out.println("    " + e.attempts() + " attempts, first " + e.firstSeen() + ", last " + e.lastSeen() + ": " + e.reason());
                }
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    /** discard and release: one quarantined file by id, under the run lock. */
    abstract static class Decision implements Callable<Integer> {
        @Mixin
        StateOptions options;

        @Parameters(paramLabel = "ID", description = "the file's id, as `quarantine list` shows it")
        long id;

        @Spec
        CommandSpec spec;

        abstract String name();

        abstract boolean apply(QuarantineLog log, long id) throws Exception;

        abstract String done();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            HarvesterConfig cfg = options.load();
            try (StateDatabase state = options.open(cfg)) {
                return OperatorLock.run(options.runLock(cfg, state), "operator: quarantine " + name(), spec.commandLine().getErr(),
                        lease -> {
                            if (!apply(new QuarantineLog(state.dataSource()), id)) {
                                spec.commandLine().getErr().println("quarantine " + name() + ": no quarantined file #" + id
                                        + " (see `quarantine list`)");
                                return ExitCodes.CONFIG;
                            }
                            if (options.json) {
                                StateOptions.printJson(out, Map.of("id", id, "action", name(), "done", done()));
                            } else {
                                out.println("#" + id + " " + done());
                                out.flush();
                            }
                            return ExitCodes.OK;
                        });
            }
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true,
            description = {"Stops every later run from fetching the file again; the next summary says so once.",
                "Takes the run lock as 'operator: quarantine discard'."})
    static class Discard extends Decision {
        @Override
        String name() {
            return "discard";
        }

        @Override
        boolean apply(QuarantineLog log, long id) throws Exception {
            return log.discard(id);
        }

        @Override
        String done() {
            return "discarded: no run fetches it again (`quarantine release` undoes this)";
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = "Undoes a discard: the next run fetches the file again. Takes the run lock as 'operator: quarantine release'.")
    static class Release extends Decision {
        @Override
        String name() {
            return "release";
        }

        @Override
        boolean apply(QuarantineLog log, long id) throws Exception {
            return log.release(id);
        }

        @Override
        String done() {
            return "released: the next run fetches it again";
        }
    }
}
