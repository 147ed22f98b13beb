package io.invoiceharvester.ops;

import io.invoiceharvester.ledger.table.LedgerFigures;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The harvester's own meters on Camel's Prometheus registry (/observe/metrics): files and bytes by
 * provider and type, failures by kind, retries, quarantined files and the billed totals per currency
 * of the last run, counted by this process; the run in flight; and what the alert rules watch, read
 * from the state database ({@link StateGauges}). Until a registry is attached (`run` only) nothing is
 * recorded; once attached, every series but the per-file ones exists from start-up.
 */
public class HarvesterMetrics {

    private final LedgerFigures ledger;
    private final StateGauges state;
    /** Each enabled provider's content types: its file series exist, at zero, from start-up. */
    private final Map<String, List<String>> contentTypes;
    private volatile MeterRegistry registry;
    private volatile Supplier<MeterRegistry> lookup = () -> null;
    private final Map<String, AtomicLong> billedCents = new ConcurrentHashMap<>();
    private volatile ProgressWatch progress;

    public HarvesterMetrics(LedgerFigures ledger, StateGauges state, Map<String, List<String>> contentTypes) {
        this.ledger = ledger;
        this.state = state;
        this.contentTypes = Map.copyOf(contentTypes);
    }

    /** @param meters finds Camel's Prometheus registry, which exists once Camel has started */
    public void attach(Supplier<MeterRegistry> meters, ProgressWatch progress) {
        this.lookup = meters;
        this.progress = progress;
    }

    /** Registers the meters now (Camel has started): an alert reads a series from start-up, not from its first event. */
    public void start() {
        registry();
    }

    /** The run in flight as gauges: a backfill moving in Grafana. */
    private static void progressGauges(MeterRegistry r, ProgressWatch p) {
        Gauge.builder("harvester_run_listings_done", p, ProgressWatch::getListingsDone).description("list calls of the run in flight done").register(r);
        Gauge.builder("harvester_run_listings_known", p, ProgressWatch::getListingsKnown).description("list calls the run in flight makes").register(r);
        Gauge.builder("harvester_run_files_done", p, ProgressWatch::getFilesDone).description("files of the run in flight stored or already there").register(r);
        Gauge.builder("harvester_run_files_known", p, ProgressWatch::getFilesKnown).description("files the run in flight has listed so far").register(r);
        Gauge.builder("harvester_run_bytes", p, ProgressWatch::getBytes).description("bytes the run in flight stored").baseUnit("bytes").register(r);
        Gauge.builder("harvester_run_failures", p, ProgressWatch::getFailures).description("failures of the run in flight").register(r);
        Gauge.builder("harvester_run_eta_seconds", p, ProgressWatch::getEtaSeconds).description("seconds until the run in flight is done; -1 unknown").register(r);
        Gauge.builder("harvester_requests_in_flight", p, ProgressWatch::getRequestsInFlight).description("provider requests in flight").register(r);
    }

    private MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            synchronized (this) {
                r = registry;
                if (r == null && (r = lookup.get()) != null) {
                    state.register(r);
                    if (progress != null) {
                        progressGauges(r, progress);
                    }
                    for (RunState.FailureKind kind : RunState.FailureKind.values()) {
                        failures(r, kind);
                    }
                    quarantined(r);
                    for (Map.Entry<String, List<String>> provider : contentTypes.entrySet()) {
                        for (boolean rateLimited : new boolean[] {true, false}) {
                            retries(r, provider.getKey(), rateLimited);
                        }
                        // a dashboard's panel has its series before the first file (Prometheus: export zeros for known labels)
                        for (String type : provider.getValue()) {
                            filesDelivered(r, provider.getKey(), type);
                        }
                        bytesDelivered(r, provider.getKey());
                    }
                    registry = r;
                }
            }
        }
        return r;
    }

    public void stored(ListedFile f) {
        MeterRegistry r = registry();
        if (r != null) {
            filesDelivered(r, f.getProvider(), f.getContentType()).increment();
            bytesDelivered(r, f.getProvider()).increment(f.getBytes());
        }
    }

    private static Counter filesDelivered(MeterRegistry r, String provider, String contentType) {
        return Counter.builder("harvester_files_delivered").description("files stored: archived and recorded (a stored PDF goes on to the drop; harvester_waiting{what=\"pending_drops\"} counts those that wait for it)")
                .tag("provider", provider).tag("content_type", contentType).register(r);
    }

    /** No base unit: Micrometer would append it (harvester_bytes_delivered_bytes_total), not the documented name. */
    private static Counter bytesDelivered(MeterRegistry r, String provider) {
        return Counter.builder("harvester_bytes_delivered").description("bytes of the files stored").tag("provider", provider).register(r);
    }

    public void failed(RunState.FailureKind kind) {
        MeterRegistry r = registry();
        if (r != null) {
            failures(r, kind).increment();
            if (kind == RunState.FailureKind.CONTENT) {
                quarantined(r).increment();
            }
        }
    }

    /** A request tried again: after a 429, or after another transient failure. */
    public void retried(String provider, boolean rateLimited) {
        MeterRegistry r = registry();
        if (r != null) {
            retries(r, provider, rateLimited).increment();
        }
    }

    private static Counter failures(MeterRegistry r, RunState.FailureKind kind) {
        return Counter.builder("harvester_failures").description("items that failed after their retries")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(r);
    }

    private static Counter quarantined(MeterRegistry r) {
        return Counter.builder("harvester_quarantined").description("files set aside as invalid").register(r);
    }

    private static Counter retries(MeterRegistry r, String provider, boolean rateLimited) {
        return Counter.builder("harvester_retries").description("provider requests tried again, after a 429 (rate_limited) or another"
                + " transient failure").tag("provider", provider).tag("reason", rateLimited ? "rate_limited" : "failure").register(r);
    }

    /** The run's result, and the billed totals per currency of the ledger lines it wrote. */
    public void finished(RunState run) throws SQLException {
        MeterRegistry r = registry();
        if (r == null) {
            return;
        }
        Map<String, BigDecimal> billed = ledger.totalsOfRun(run.getRunId());
        billedCents.values().forEach(v -> v.set(0));
        billed.forEach((currency, amount) -> billedCents.computeIfAbsent(currency, c -> {
            AtomicLong cents = new AtomicLong();
            Gauge.builder("harvester_last_run_billed", cents, v -> v.get() / 100.0)
                    .description("billed total of the last run's new ledger lines").tag("currency", c).register(r);
            return cents;
        }).set(amount.movePointRight(2).longValue()));
    }
}
