package io.invoiceharvester.run;

import io.invoiceharvester.http.Cutoffs;
import io.invoiceharvester.http.RequestSlots;
import io.invoiceharvester.model.LockLostException;
import io.invoiceharvester.model.RunFailedException;
import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.ops.HarvesterMetrics;
import io.invoiceharvester.ops.ProgressWatch;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.state.RunHistory;
import io.invoiceharvester.state.RunLock;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Where a run begins and ends, the one place that takes and releases its run lock. A run begins only
 * with the lock: a scheduled firing waits for it (up to the lock's lease), anything else is refused at
 * once, naming the holder. Once begun, a run always ends: its route calls {@link #end} whatever its
 * steps did, which records it as finished and releases the lock it still holds. A run has a deadline
 * (harvester.run.max-duration): past it, it fetches nothing more and goes on to its end.
 */
public class RunLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);
    public static final String MDC_RUN_ID = "harvesterRunId";

    /** SMTP and the ledger bucket: their calls in flight, cut by the run's deadline and a stop. */
    private final Cutoffs cutoffs;
    private final RunLock lock;
    private final RunHistory history;
    private final FailureReport failures;
    private final HarvesterMetrics metrics;
    private final Duration schedulePatience;
    private final Duration maxDuration;
    private final ProgressWatch progress;
    private final RequestSlots slots;
    private final Map<String, RunLock.Lease> leases = new ConcurrentHashMap<>();
    private final Map<String, RunState> active = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> deadlines = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harvester-run-deadline");
        t.setDaemon(true);
        return t;
    });

    public RunLifecycle(RunLock lock, RunHistory history, FailureReport failures, HarvesterMetrics metrics,
                        Duration schedulePatience, Duration maxDuration, ProgressWatch progress, RequestSlots slots, Cutoffs cutoffs) {
        this.cutoffs = cutoffs;
        this.maxDuration = maxDuration;
        this.progress = progress;
        this.slots = slots;
        this.lock = lock;
        this.history = history;
        this.failures = failures;
        this.metrics = metrics;
        this.schedulePatience = schedulePatience;
    }

    /** @throws RunLock.HeldException when another run or operator command holds the lock */
    public RunState begin(RunRequest request) throws InterruptedException {
        RunState run = new RunState(UUID.randomUUID().toString(), request);
        Runnable onLost = () -> lockLost(run);
        RunLock.Lease lease = "schedule".equals(request.trigger())
                ? lock.acquireWaiting(run.getRunId(), schedulePatience,
                        holder -> LOG.info("scheduled run waits for the run lock, held by {}", holder), onLost)
                : lock.acquire(run.getRunId(), onLost);
        try {
            history.started(run);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        leases.put(run.getRunId(), lease);
        cutoffs.resume();
        active.put(run.getRunId(), run);
        slots.accept(maxDuration);
        deadlines.put(run.getRunId(), timer.schedule(() -> deadlinePassed(run), maxDuration.toNanos(), TimeUnit.NANOSECONDS));
        MDC.put(MDC_RUN_ID, run.getRunId());
        LOG.info("run {} started ({}): months {}, providers {}", run.getRunId(), request.trigger(), request.months(),
                request.providers());
        progress.started(run);
        return run;
    }

    /** Finishes the run in the state database and releases its lock, if it still holds it. */
    public RunState end(RunState run) throws SQLException {
        active.remove(run.getRunId());
        ScheduledFuture<?> deadline = deadlines.remove(run.getRunId());
        if (deadline != null) {
            deadline.cancel(false);
        }
        progress.ended(run);
        try {
            if (run.isHoldsLock()) {
                history.finished(run);
            }
            metrics.finished(run);
        } catch (LockLostException e) {
            failures.lockLost(run);
        } finally {
            RunLock.Lease lease = leases.remove(run.getRunId());
            try {
                if (lease != null) {
                    lease.close();
                }
            } finally {
                LOG.info("{} -> exit code {}", run.summaryLine(), run.exitCode());
                if (!run.isHoldsLock()) {
                    LOG.warn("run {} lost its run lock: it wrote nothing after that, its end and summary are not recorded;"
                            + " the lock's new holder reports what was done", run.getRunId());
                }
                MDC.remove(MDC_RUN_ID);
            }
        }
        return run;
    }

    /** A run that did not do everything ends its route failed (RunFailedException), for the routes' counters to show it. */
    public RunState outcome(RunState run) {
        if (run.exitCode() != 0) {
            throw new RunFailedException(run);
        }
        return run;
    }

    /**
     * harvester.run.max-duration passed: no new fetch starts, requests in flight are cut off, and the run's
     * remaining phases (export, summary) end it as a run.
     */
    private void deadlinePassed(RunState run) {
        run.markDeadlinePassed();
        slots.cancelAll("not fetched: the run passed harvester.run.max-duration (" + maxDuration + ")");
        cutoffs.cutAll("the run passed harvester.run.max-duration");
        failures.record(run, RunState.FailureKind.OTHER, "run deadline", "the run passed harvester.run.max-duration ("
                + maxDuration + "): no fetch started after it and requests in flight were cancelled; the next run fetches"
                + " what is missing");
    }

    /**
     * The process is asked to stop (SIGTERM): a run in flight may finish within {@code patience}; one that
     * cannot stops fetching, has its requests cut off, and ends as a run (recorded, summary, lock released)
     * within {@code patience} again, before Camel and the state database close.
     *
     * @return whether every run ended
     */
    public boolean windDown(Duration patience) throws InterruptedException {
        if (endedWithin(patience)) {
            return true;
        }
        for (RunState run : active.values()) {
            run.markDeadlinePassed();
            failures.record(run, RunState.FailureKind.OTHER, "service stop", "stopped early: the service was asked to stop"
                    + " and the run could not finish in time; no fetch started after that and requests in flight were cut off;"
                    + " the next run fetches what is missing");
        }
        slots.cancelAll("not fetched: the service is stopping");
        cutoffs.cutAll("the service is stopping");
        return endedWithin(patience);
    }

    private boolean endedWithin(Duration patience) throws InterruptedException {
        long until = System.nanoTime() + patience.toNanos();
        while (!active.isEmpty() && System.nanoTime() < until) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return active.isEmpty();
    }

    /** The deadline timer ends with the command's Camel. */
    public void close() {
        timer.shutdownNow();
    }

    private void lockLost(RunState run) {
        slots.refuse("not fetched: the run lock was lost");
        failures.lockLost(run);
    }
}
