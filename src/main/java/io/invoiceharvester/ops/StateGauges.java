package io.invoiceharvester.ops;

import io.invoiceharvester.config.Schedule;
import io.invoiceharvester.state.StateReport;
import io.invoiceharvester.summary.Outbox;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What deploy/prometheus/alerts.yml watches, read from the state database and the outbox folder, never
 * from this process's memory: the same on every node of a cluster and after a restart, and there from
 * start-up on. Durations are taken on the database's clock. Read at most once per {@link #FRESH},
 * however often Prometheus scrapes; when the database does not answer, the last values stay and
 * harvester_state_database_up is 0.
 */
public class StateGauges {

    private static final Logger LOG = LoggerFactory.getLogger(StateGauges.class);
    static final Duration FRESH = Duration.ofSeconds(10);

    /** The exit codes (README, "Exit codes"), as harvester_runs_total counts them; "unfinished": a run that ended without a record. */
    private static final String[] EXIT_CODES = {"0", "1", "2", "3", "75"};

    /** What a run could wait on, as harvester_waiting's `what` label names it. */
    private static final Map<String, ToDoubleFunction<Reading>> WAITING = Map.of(
            "pending_drops", r -> r.vitals.waiting().pendingDrops(),
            "unmapped_csvs", r -> r.vitals.waiting().unmappedCsvs(),
            "unavailable_files", r -> r.vitals.waiting().unavailableFiles(),
            "quarantined_files", r -> r.vitals.quarantined(),
            "outbox_mails", r -> r.outboxMails,
            "refused_mails", r -> r.refusedMails);

    /** The last run's file counts, as harvester_last_run_files's `files` label names them ("new": those it stored). */
    private static final Map<String, Function<StateReport.Run, Number>> LAST_RUN_FILES = Map.of(
            "listed", StateReport.Run::filesListed, "new", StateReport.Run::filesStored, "failed", StateReport.Run::filesFailed);

    private record Reading(StateReport.Vitals vitals, int outboxMails, int refusedMails, Instant previousFiring,
                           Instant nextFiring) {
    }

    private final StateReport report;
    private final Outbox outbox;
    private final Schedule schedule;
    private final Duration maxDuration;
    private Reading last;
    private long readAt;
    /** Whether the last reading worked; a failure is logged when it turns false. */
    private volatile boolean up = true;

    public StateGauges(StateReport report, Outbox outbox, Schedule schedule, Duration maxDuration) {
        this.report = report;
        this.outbox = outbox;
        this.schedule = schedule;
        this.maxDuration = maxDuration;
    }

    void register(MeterRegistry r) {
        gauge(r, "harvester_last_success_timestamp_seconds", "end of the last run that finished with exit code 0; 0 before the first",
                g -> epoch(g.vitals.lastSuccess()));
        gauge(r, "harvester_last_run_finished_timestamp_seconds", "end of the last finished run; 0 before the first",
                g -> g.vitals.lastFinished() == null ? 0 : epoch(g.vitals.lastFinished().finishedAt()));
        gauge(r, "harvester_last_run_exit_code", "exit code of the last finished run; -1 before the first",
                g -> lastRun(g, StateReport.Run::exitCode, -1));
        LAST_RUN_FILES.forEach((files, figure) -> Gauge.builder("harvester_last_run_files", this, s -> s.read(g -> lastRun(g, figure, 0)))
                .description("files of the last finished run: listed, new (stored), failed").tag("files", files).register(r));
        gauge(r, "harvester_last_run_bytes", "bytes the last finished run stored", g -> lastRun(g, StateReport.Run::bytes, 0));
        gauge(r, "harvester_consecutive_failed_runs", "runs since the last successful one that ended with another exit code or none",
                g -> g.vitals.failedSinceSuccess());
        gauge(r, "harvester_run_in_progress", "1 while a run holds the run lock", g -> g.vitals.runningSince() == null ? 0 : 1);
        gauge(r, "harvester_run_duration_seconds", "how long the run in progress has run; 0 between runs",
                g -> g.vitals.runningSince() == null ? 0 : seconds(g.vitals.runningSince(), g.vitals.now()));
        Gauge.builder("harvester_run_max_duration_seconds", maxDuration, Duration::toSeconds)
                .description("harvester.run.max-duration: a run ends by then").register(r);
        gauge(r, "harvester_lock_held", "1 while a run or an operator command holds the run lock", g -> g.vitals.lockHeld() ? 1 : 0);
        gauge(r, "harvester_lock_expiry_timestamp_seconds", "end of the run lock's lease; 0 when it is free",
                g -> epoch(g.vitals.lockExpires()));
        gauge(r, "harvester_lock_lease_remaining_seconds", "seconds left of the run lock's lease, negative once past; 0 when free",
                g -> g.vitals.lockExpires() == null ? 0 : seconds(g.vitals.now(), g.vitals.lockExpires()));
        gauge(r, "harvester_schedule_previous_firing_timestamp_seconds", "the schedule's last firing time, run or not; 0 if none",
                g -> g.previousFiring == null ? 0 : g.previousFiring.getEpochSecond());
        gauge(r, "harvester_schedule_next_firing_timestamp_seconds", "the schedule's next firing time; 0 if it fires no more",
                g -> g.nextFiring == null ? 0 : g.nextFiring.getEpochSecond());
        WAITING.forEach((what, value) -> Gauge.builder("harvester_waiting", this, s -> s.read(value))
                .description("what waits for a later run or a person").tag("what", what).register(r));
        Gauge.builder("harvester_state_database_up", this, s -> s.reading() != null && s.up ? 1 : 0)
                .description("1 when the state database answered the last reading").register(r);
        for (String code : EXIT_CODES) {
            FunctionCounter.builder("harvester_runs", this, s -> s.read(g -> g.vitals.finishedByExitCode()
                    .getOrDefault(Integer.parseInt(code), 0L))).description("finished runs by exit code, from the run history")
                    .tag("exit_code", code).register(r);
        }
        FunctionCounter.builder("harvester_runs", this, s -> s.read(g -> g.vitals.unfinished()))
                .description("finished runs by exit code, from the run history").tag("exit_code", "unfinished").register(r);
    }

    private void gauge(MeterRegistry r, String name, String description, ToDoubleFunction<Reading> value) {
        Gauge.builder(name, this, s -> s.read(value)).description(description).register(r);
    }

    private double read(ToDoubleFunction<Reading> value) {
        Reading r = reading();
        return r == null ? Double.NaN : value.applyAsDouble(r);
    }

    /** The last reading, read again when older than FRESH (a failed reading too: a database away is not asked per gauge). */
    private synchronized Reading reading() {
        long now = System.nanoTime();
        if (readAt != 0 && now - readAt < FRESH.toNanos()) {
            return last;
        }
        readAt = now;
        try {
            Instant at = Instant.now();
            last = new Reading(report.vitals(), outbox.pending().size(), outbox.refused().size(),
                    schedule.previous(at).orElse(null), schedule.next(at).orElse(null));
            up = true;
        } catch (SQLException | IOException | RuntimeException e) {
            if (up) {
                LOG.warn("metrics: the state database did not answer ({}); its gauges keep their last values", e.getMessage());
            }
            up = false;
        }
        return last;
    }

    private static double lastRun(Reading g, Function<StateReport.Run, Number> figure, double none) {
        Number n = g.vitals.lastFinished() == null ? null : figure.apply(g.vitals.lastFinished());
        return n == null ? none : n.doubleValue();
    }

    private static double epoch(OffsetDateTime t) {
        return t == null ? 0 : t.toInstant().toEpochMilli() / 1000.0;
    }

    private static double seconds(OffsetDateTime from, OffsetDateTime to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
