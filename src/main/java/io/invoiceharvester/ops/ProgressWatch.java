package io.invoiceharvester.ops;

import io.invoiceharvester.http.RequestSlots;
import io.invoiceharvester.model.RunState;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of the run in flight: listings and files done of those known, bytes, failures, rate and ETA.
 * On a terminal a bar redrawn every second; otherwise one log line every harvester.progress.interval.
 * The same figures are the JMX attributes of {@value #OBJECT_NAME} and Prometheus gauges.
 */
public class ProgressWatch implements ProgressWatchMXBean, AutoCloseable {

    public static final String OBJECT_NAME = "io.invoiceharvester:type=RunProgress";
    private static final Logger LOG = LoggerFactory.getLogger(ProgressWatch.class);
    private static final int BAR = 24;

    private final RequestSlots slots;
    private final Duration interval;
    private final PrintStream terminal;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harvester-progress");
        t.setDaemon(true);
        return t;
    });
    private volatile RunState current;
    /** The last run ended, and when: what Hawtio shows of it until the next run ends. */
    private volatile RunState last;
    private volatile Instant lastEnded;
    /** The watch registered under the MBean's name: a closing one leaves a later one's registration alone. */
    private static final AtomicReference<ProgressWatch> REGISTERED =
            new AtomicReference<>();
    private ScheduledFuture<?> ticking;

    /** @param terminal where the bar is drawn, or null to log a line every {@code interval} instead */
    public ProgressWatch(RequestSlots slots, Duration interval, PrintStream terminal) {
        this.slots = slots;
        this.interval = interval;
        this.terminal = terminal;
        register();
    }

    public synchronized void started(RunState run) {
        current = run;
        long every = terminal != null ? 1000 : Math.max(1, interval.toMillis());
        ticking = ticker.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    public synchronized void ended(RunState run) {
        if (ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
        if (terminal != null && current != null) {
            terminal.print("\r" + bar() + " " + line() + "\n");
            terminal.flush();
        }
        current = null;
        last = run;
        lastEnded = Instant.now();
    }

    private void tick() {
        if (current == null) {
            return;
        }
        if (terminal != null) {
            terminal.print("\r" + bar() + " " + line() + "   ");
            terminal.flush();
        } else {
            LOG.info("progress: {}", line());
        }
    }

    /** "12/96 listings, 30/288 files, 1.2 MB, 0 failed, 9.8 files/s, ETA 26s" */
    public String line() {
        long eta = getEtaSeconds();
        return String.format(Locale.ROOT, "%d/%d listings, %d/%d files, %.1f MB, %d failed, %.1f files/s, ETA %s",
                getListingsDone(), getListingsKnown(), getFilesDone(), getFilesKnown(), getBytes() / 1e6, getFailures(),
                getFilesPerSecond(), eta < 0 ? "?" : Duration.ofSeconds(eta).toString().substring(2).toLowerCase(Locale.ROOT));
    }

    private String bar() {
        int known = getListingsKnown() + estimatedFiles();
        int done = getListingsDone() + getFilesDone();
        int filled = known == 0 ? 0 : (int) Math.min(BAR, (long) BAR * done / known);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "]";
    }

    /** The files the run will have listed, extrapolated from the listings done so far. */
    private int estimatedFiles() {
        RunState run = current;
        if (run == null || run.getListingsDone() == 0) {
            return getFilesKnown();
        }
        return (int) Math.max(run.getFilesWanted(), (long) run.getFilesWanted() * run.getListingsPlanned() / run.getListingsDone());
    }

    @Override
    public String getRunId() {
        RunState run = current;
        return run == null ? "" : run.getRunId();
    }

    @Override
    public int getListingsDone() {
        RunState run = current;
        return run == null ? 0 : Math.min(run.getListingsDone(), run.getListingsPlanned());
    }

    @Override
    public int getListingsKnown() {
        RunState run = current;
        return run == null ? 0 : run.getListingsPlanned();
    }

    @Override
    public int getFilesDone() {
        RunState run = current;
        return run == null ? 0 : run.getFilesStored() + run.getFilesSkipped();
    }

    @Override
    public int getFilesKnown() {
        RunState run = current;
        return run == null ? 0 : run.getFilesWanted();
    }

    @Override
    public long getBytes() {
        RunState run = current;
        return run == null ? 0 : run.getBytes();
    }

    @Override
    public int getFailures() {
        RunState run = current;
        return run == null ? 0 : run.getFailureCount();
    }

    @Override
    public double getFilesPerSecond() {
        RunState run = current;
        if (run == null) {
            return 0;
        }
        double seconds = Math.max(0.001, Duration.between(run.getStartedAt(), Instant.now()).toMillis() / 1000.0);
        return run.getFilesStored() / seconds;
    }

    @Override
    public long getEtaSeconds() {
        double rate = getFilesPerSecond();
        int left = estimatedFiles() - getFilesDone();
        return current == null || rate <= 0 ? -1 : Math.max(0, Math.round(left / rate));
    }

    @Override
    public int getRequestsInFlight() {
        return slots.inFlight();
    }

    /** The harvester of this JVM answers under the MBean's name: a later one (tests) replaces an earlier one. */
    private void register() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(this, name);
            REGISTERED.set(this);
        } catch (JMException e) {
            LOG.warn("run progress is not on JMX: {}", e.getMessage());
        }
    }

    @Override
    public String getLastRunId() {
        RunState run = last;
        return run == null ? "" : run.getRunId();
    }

    @Override
    public int getLastRunExitCode() {
        RunState run = last;
        return run == null ? -1 : run.exitCode();
    }

    @Override
    public String getLastRunEnded() {
        Instant ended = lastEnded;
        return ended == null ? "" : ended.toString();
    }

    @Override
    public String getLastRunSummary() {
        RunState run = last;
        return run == null ? "" : run.summaryLine() + " -> exit code " + run.exitCode();
    }

    @Override
    public int getLastRunFilesListed() {
        RunState run = last;
        return run == null ? 0 : run.getFilesListed();
    }

    @Override
    public int getLastRunFilesStored() {
        RunState run = last;
        return run == null ? 0 : run.getFilesStored();
    }

    @Override
    @Deprecated
    public int getLastRunFilesNew() {
        return getLastRunFilesStored();
    }

    @Override
    public int getLastRunFilesLeftOut() {
        RunState run = last;
        return run == null ? 0 : run.getFilesLeftOut();
    }

    @Override
    public int getLastRunFailureCount() {
        RunState run = last;
        return run == null ? 0 : run.getFailureCount();
    }

    @Override
    public String[] getLastRunFailures() {
        RunState run = last;
        return run == null ? new String[0] : run.getFailures().stream().map(f -> f.item() + ": " + f.message()).toArray(String[]::new);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (REGISTERED.compareAndSet(this, null) && server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException e) {
            LOG.debug("run progress MBean: {}", e.getMessage());
        }
    }
}
