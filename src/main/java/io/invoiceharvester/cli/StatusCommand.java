package io.invoiceharvester.cli;

import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.config.LedgerSettings;
import io.invoiceharvester.config.Schedule;
import io.invoiceharvester.ledger.publish.LedgerPublish;
import io.invoiceharvester.ledger.publish.PublishTarget;
import io.invoiceharvester.model.ConfigException;
import io.invoiceharvester.state.QuarantineLog;
import io.invoiceharvester.state.StateDatabase;
import io.invoiceharvester.state.StateReport;
import io.invoiceharvester.state.WaitingFiles;
import io.invoiceharvester.summary.Outbox;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** invoice-harvester status: the last run, the next firing, the lock, and what waits. Read-only. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "The last run, the next scheduled firing, the run lock's holder, and what waits. Changes nothing.")
class StatusCommand implements Callable<Integer> {

    @Mixin
    StateOptions options;

    @Spec
    CommandSpec spec;

    /** Exported months the ledger bucket does not hold yet (none without harvester.ledger.publish-uri). */
    private static List<String> monthsToPublish(HarvesterConfig cfg, StateDatabase state) throws SQLException {
        PublishTarget target = LedgerSettings.publishTarget(cfg, Map.of());
        if (target == null) {
            return List.of();
        }
        return LedgerPublish.pendingAt(state.dataSource(), target.name()).stream().map(Object::toString).toList();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HarvesterConfig cfg = options.load();
        try (StateDatabase state = options.openForReading(cfg)) {
            StateReport report = new StateReport(state.dataSource());
            List<StateReport.Run> last = report.runs(1, false);
            StateReport.Run run = last.isEmpty() ? null : last.get(0);
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("lastRun", run);
            status.put("lastRunFailures", run == null ? List.of() : report.failures(run.runId()));
            status.put("nextFiring", nextFiring(cfg));
            status.put("lock", options.runLock(cfg, state).current().map(Object::toString).orElse(null));
            StateReport.Waiting waiting = report.waiting();
            Outbox outbox = new Outbox(options.outputDir(cfg), null);
            Map<String, Object> waits = new LinkedHashMap<>();
            waits.put("pendingDrops", waiting.pendingDrops());
            waits.put("outboxMails", outbox.pending().size());
            waits.put("refusedMails", outbox.refused().size());
            waits.put("quarantinedFiles", new QuarantineLog(state.dataSource()).list().stream().filter(q -> q.discardedAt() == null).count());
            waits.put("unmappedCsvs", waiting.unmappedCsvs());
            waits.put("unavailableFiles", waiting.unavailableFiles());
            waits.put("exportPendingMonths", waiting.exportPendingMonths());
            waits.put("rebuildPendingMonths", waiting.rebuildPendingMonths());
            List<String> toPublish = monthsToPublish(cfg, state);
            waits.put("ledgerMonthsToPublish", toPublish);
            status.put("waiting", waits);
            List<WaitingFiles.Waiting> onAPerson = new WaitingFiles(state.dataSource()).list();
            status.put("waitingFiles", onAPerson);
            if (options.json) {
                StateOptions.printJson(out, status);
                return ExitCodes.OK;
            }
            if (run == null) {
                out.println("last run:    none yet");
            } else {
                out.println("last run:    " + run.runId() + " (" + run.trigger() + ", " + run.months() + ")");
                out.println("  started:   " + run.startedAt() + (run.finishedAt() == null ? ", not finished"
                        : ", took " + Duration.between(run.startedAt(), run.finishedAt()).toSeconds() + " s"));
                out.println(run.finishedAt() == null ? "  running:   its figures are written when it ends (`history " + run.runId() + "`)"
                        : "  exit code: " + (run.exitCode() == null ? "-" : run.exitCode()) + "; files listed " + run.filesListed()
                        + ", stored " + run.filesStored() + ", failed " + run.filesFailed());
                for (Object f : (List<?>) status.get("lastRunFailures")) {
                    StateReport.Failure failure = (StateReport.Failure) f;
                    out.println("  failed:    " + failure.item() + ": " + failure.message());
                }
            }
            out.println("next firing: " + (status.get("nextFiring") == null ? "-" : status.get("nextFiring")) + " (`run` only)");
            out.println("run lock:    " + (status.get("lock") == null ? "free" : status.get("lock")));
            out.println("waiting:     " + waiting.pendingDrops() + " PDFs for the drop, " + waits.get("outboxMails")
                    + " mails in the outbox (" + waits.get("refusedMails") + " refused), " + waits.get("quarantinedFiles")
                    + " quarantined files, " + waiting.unmappedCsvs() + " unmapped CSVs, " + waiting.unavailableFiles()
                    + " files the provider does not serve");
            for (WaitingFiles.Waiting w : onAPerson) {
                out.println("  " + w);
            }
            out.println("ledger:      export pending " + waiting.exportPendingMonths() + ", rebuild pending "
                    + waiting.rebuildPendingMonths() + (cfg.isSet("harvester.ledger.publish-uri")
                    ? ", waiting for the bucket " + (toPublish.isEmpty() ? "none" : toPublish.size() + " (" + String.join(", ", toPublish) + ")")
                    : ""));
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** The next firing in the schedule's zone; null when the schedule is not valid or fires no more. */
    private static ZonedDateTime nextFiring(HarvesterConfig cfg) {
        try {
            Schedule schedule = Schedule.of(cfg);
            return schedule.next(Instant.now()).map(t -> t.atZone(schedule.zone())).orElse(null);
        } catch (ConfigException e) {
            return null;
        }
    }
}
