package io.invoiceharvester.ops;

import io.invoiceharvester.ledger.LedgerFigures;
import io.invoiceharvester.run.FileTask;
import io.invoiceharvester.run.RunReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The harvester's own counters on Camel's Prometheus registry (/observe/metrics): files and bytes by
 * provider and type, failures by kind, quarantined files, the last successful run, and the billed
 * totals per currency of the last run. Until a registry is attached (`run` only) nothing is recorded.
 */
public class HarvesterMetrics {

    private final LedgerFigures ledger;
    private volatile MeterRegistry registry;
    private volatile java.util.function.Supplier<MeterRegistry> lookup = () -> null;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final Map<String, AtomicLong> billedCents = new ConcurrentHashMap<>();
    private volatile ProgressWatch progress;

    public HarvesterMetrics(LedgerFigures ledger) {
        this.ledger = ledger;
    }

    /** @param meters finds Camel's Prometheus registry, which exists once Camel has started */
    public void attach(java.util.function.Supplier<MeterRegistry> meters, ProgressWatch progress) {
        this.lookup = meters;
        this.progress = progress;
    }

    /** The run in flight as gauges: a backfill moving in Grafana. */
    private static void progressGauges(MeterRegistry r, ProgressWatch p) {
        Gauge.builder("harvester_run_listings_done", p, ProgressWatch::getListingsDone).description("list calls of the run in flight done").register(r);
        Gauge.builder("harvester_run_listings_known", p, ProgressWatch::getListingsKnown).description("list calls the run in flight makes").register(r);
        Gauge.builder("harvester_run_files_done", p, ProgressWatch::getFilesDone).description("files of the run in flight delivered or already there").register(r);
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
                    Gauge.builder("harvester_last_success_timestamp_seconds", lastSuccess, AtomicLong::get)
                            .description("end of the last run that finished with exit code 0").register(r);
                    if (progress != null) {
                        progressGauges(r, progress);
                    }
                    registry = r;
                }
            }
        }
        return r;
    }

    public void delivered(FileTask f) {
        MeterRegistry r = registry();
        if (r != null) {
            Counter.builder("harvester_files_delivered").description("files stored (archived, and ingested or dropped)")
                    .tag("provider", f.getProvider()).tag("content_type", f.getContentType()).register(r).increment();
            Counter.builder("harvester_bytes_delivered").description("bytes of the files stored").baseUnit("bytes")
                    .tag("provider", f.getProvider()).register(r).increment(f.getBytes());
        }
    }

    public void failed(RunReport.FailureKind kind) {
        MeterRegistry r = registry();
        if (r != null) {
            Counter.builder("harvester_failures").description("items that failed after their retries")
                    .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT)).register(r).increment();
            if (kind == RunReport.FailureKind.CONTENT) {
                Counter.builder("harvester_quarantined").description("files set aside as invalid").register(r).increment();
            }
        }
    }

    /** The run's result, and the billed totals per currency of the ledger lines it wrote. */
    public void finished(RunReport run) throws java.sql.SQLException {
        MeterRegistry r = registry();
        if (r == null) {
            return;
        }
        Map<String, BigDecimal> billed = ledger.totalsOfRun(run.getRunId());
        if (run.exitCode() == 0) {
            lastSuccess.set(java.time.Instant.now().getEpochSecond());
        }
        billedCents.values().forEach(v -> v.set(0));
        billed.forEach((currency, amount) -> billedCents.computeIfAbsent(currency, c -> {
            AtomicLong cents = new AtomicLong();
            Gauge.builder("harvester_last_run_billed", cents, v -> v.get() / 100.0)
                    .description("billed total of the last run's new ledger lines").tag("currency", c).register(r);
            return cents;
        }).set(amount.movePointRight(2).longValue()));
    }
}
