package io.invoiceharvester.run;

import io.invoiceharvester.http.ProblemDetails;
import io.invoiceharvester.ops.HarvesterMetrics;
import io.invoiceharvester.delivery.InvalidContentException;
import io.invoiceharvester.state.RunHistory;
import io.invoiceharvester.state.RunLock;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Starts, plans and closes harvest runs, and turns each failure into one reported line. */
public class Runs {

    private static final Logger LOG = LoggerFactory.getLogger(Runs.class);

    private final RunHistory history;
    private final List<String> accountSwitchKeys;
    private final Set<String> contentTypes;
    private final boolean fastlyMonthToDate;
    private final HarvesterMetrics metrics;
    private final RunLock lock;

    public Runs(RunHistory history, RunLock lock, List<String> accountSwitchKeys, Set<String> contentTypes,
                boolean fastlyMonthToDate, HarvesterMetrics metrics) {
        this.history = history;
        this.lock = lock;
        this.metrics = metrics;
        this.accountSwitchKeys = List.copyOf(accountSwitchKeys);
        this.contentTypes = Set.copyOf(contentTypes);
        this.fastlyMonthToDate = fastlyMonthToDate;
    }

    public RunReport start(RunRequest request) {
        RunReport run = new RunReport(UUID.randomUUID().toString(), request);
        MDC.put("harvesterRunId", run.getRunId());
        history.started(run);
        String holder = lock.acquire(run.getRunId());
        if (holder != null) {
            run.markLockedOut(holder);
            LOG.warn("run {} not started: another harvest is running ({})", run.getRunId(), holder);
            return run;
        }
        LOG.info("run {} started ({}): months {}, providers {}", run.getRunId(), request.trigger(), request.months(),
                request.providers());
        return run;
    }

    /** One list call per month and account: the switch keys, or the credential's own account when there are none. */
    public List<ListTask> akamaiListings(RunReport run) {
        List<ListTask> out = new ArrayList<>();
        if (!run.getRequest().providers().contains("akamai")) {
            return out;
        }
        for (YearMonth month : run.getRequest().months()) {
            if (accountSwitchKeys.isEmpty()) {
                out.add(new ListTask("akamai", month.toString(), null));
            }
            for (String key : accountSwitchKeys) {
                out.add(new ListTask("akamai", month.toString(), key));
            }
        }
        return out;
    }

    /** One list per month: a Fastly token reaches one customer. */
    public List<ListTask> fastlyListings(RunReport run) {
        if (!run.getRequest().providers().contains("fastly")) {
            return List.of();
        }
        return run.getRequest().months().stream().map(m -> new ListTask("fastly", m.toString(), null)).toList();
    }

    public boolean wantsMonthToDate(RunReport run) {
        return fastlyMonthToDate && run.getRequest().providers().contains("fastly");
    }

    public List<FileTask> listed(RunReport run, List<FileTask> files) {
        run.listed(files.size());
        if (!files.isEmpty()) {
            LOG.info("{}: {} files listed", files.get(0).getListing(), files.size());
        }
        return files;
    }

    /** Filter: a content type the configuration asks for (Akamai offers several per invoice). */
    public boolean wanted(FileTask file) {
        return !"akamai".equals(file.getProvider()) || contentTypes.contains(file.getContentType());
    }

    public void skipped(RunReport run, FileTask file) {
        run.skipped();
        LOG.debug("already delivered: {}", file);
    }

    public FileTask delivered(RunReport run, FileTask file) {
        run.delivered(file.getBytes());
        metrics.delivered(file);
        LOG.info("delivered {} ({} bytes)", file, file.getBytes());
        return file;
    }

    public void failed(RunReport run, Object item, Throwable error) {
        RunReport.FailureKind kind = classify(error);
        String message = describe(error);
        if (kind == RunReport.FailureKind.CREDENTIALS) {
            message += credentialHint(item);
        }
        run.failed(kind, String.valueOf(item), message);
        metrics.failed(kind);
        LOG.warn("failed: {}: {}", item, message);
    }

    /** After every run, whatever happened in it (also a failure before finish): this process holds no run lock. */
    public void releaseLock() {
        lock.release();
    }

    public RunReport finish(RunReport run) {
        if (!run.isLockedOut()) {
            lock.release();
        }
        history.finished(run);
        LOG.info("{} -> exit code {}", run.summaryLine(), run.exitCode());
        MDC.remove("harvesterRunId");
        return run;
    }

    private static String credentialHint(Object item) {
        String provider = item instanceof ListTask l ? l.getProvider() : item instanceof FileTask f ? f.getProvider() : "";
        return switch (provider) {
            case "akamai" -> " - check the credentials in harvester.akamai.edgerc, section harvester.akamai.section";
            case "fastly" -> " - check harvester.fastly.api-token (FASTLY_API_TOKEN, or harvester.fastly.api-token-file)";
            default -> "";
        };
    }

    static RunReport.FailureKind classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException h) {
                int s = h.getStatusCode();
                return s == 401 || s == 403 ? RunReport.FailureKind.CREDENTIALS : RunReport.FailureKind.OTHER;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return RunReport.FailureKind.UNREACHABLE;
            }
            if (t instanceof InvalidContentException) {
                return RunReport.FailureKind.CONTENT;
            }
        }
        return RunReport.FailureKind.OTHER;
    }

    static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException h) {
                return ProblemDetails.describe(h.getStatusCode(), h.getResponseBody());
            }
        }
        String m = error.getMessage();
        return error.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
