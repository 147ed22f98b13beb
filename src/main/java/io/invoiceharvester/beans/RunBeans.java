package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.config.RetrySettings;
import io.invoiceharvester.http.Cutoffs;
import io.invoiceharvester.http.RequestSlots;
import io.invoiceharvester.model.ContentFilter;
import io.invoiceharvester.ops.HarvesterMetrics;
import io.invoiceharvester.ops.ProgressWatch;
import io.invoiceharvester.run.Backoff;
import io.invoiceharvester.run.KeepRunExchange;
import io.invoiceharvester.run.LeftOutFiles;
import io.invoiceharvester.run.RateLimitWait;
import io.invoiceharvester.run.Retries;
import io.invoiceharvester.run.RunItem;
import io.invoiceharvester.run.RunLifecycle;
import io.invoiceharvester.run.RunPlan;
import io.invoiceharvester.run.RunProgress;
import io.invoiceharvester.run.WorkPools;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.state.RunHistory;
import io.invoiceharvester.state.RunLock;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

/** A run: what it covers, its beginning and end, its counters, its retries and its thread pools. */
public class RunBeans implements CamelConfiguration {

    /** The accounts and months a run covers, and what each listing asks for. */
    @BindToRegistry
    public RunPlan runPlan(HarvesterSettings s) {
        return new RunPlan(s.run().months(), s.run().schedule().zone(), s.providers(), s.akamai().switchKeys(), s.fastly().monthToDate(),
                Clock.systemUTC());
    }

    /** A run's begin and end: the lock, its history row, its progress; the end runs however a step ended. */
    @BindToRegistry(destroyMethod = "close")
    public RunLifecycle runLifecycle(RunLock lock, RunHistory history, FailureReport failures, HarvesterMetrics metrics,
                                     HarvesterSettings settings, ProgressWatch progress, RequestSlots slots, Cutoffs cutoffs) {
        return new RunLifecycle(lock, history, failures, metrics, settings.state().lockLease(), settings.run().maxDuration(), progress, slots,
                cutoffs);
    }

    /** An item's failure, classified and recorded for the summary; the run goes on. A step is named by its route's description. */
    @BindToRegistry
    public FailureReport failureReport(RunHistory history, HarvesterMetrics metrics, CamelContext camel) {
        return new FailureReport(history, metrics::failed, routeId -> {
            Route route = camel.getRoute(routeId);
            return route == null ? null : route.getDescription();
        });
    }

    /** Sets the item a split hands on as the exchange's harvesterItem. */
    @BindToRegistry
    public RunItem runItem() {
        return new RunItem();
    }

    /** The result of the run's phases and splits is the run exchange; a failure that escapes a phase is reported. */
    @BindToRegistry
    public KeepRunExchange keepRunExchange(FailureReport failureReport) {
        return new KeepRunExchange(failureReport);
    }

    /** harvester.akamai.content-types: which of an invoice's files a run downloads. */
    @BindToRegistry
    public ContentFilter contentFilter(HarvesterSettings settings) {
        return new ContentFilter(settings.akamai().contentTypes());
    }

    /** pick-new-files' split: counts the wanted files a route left out, so that none goes missing from the run's figures. */
    @BindToRegistry
    public LeftOutFiles leftOutFiles(ContentFilter contentFilter) {
        return new LeftOutFiles(contentFilter);
    }

    @BindToRegistry
    public RunProgress runProgress(HarvesterMetrics metrics, ContentFilter contentFilter) {
        return new RunProgress(metrics, contentFilter);
    }

    /**
     * The report-failure handler's waits between attempts (routes/error-handling.camel.yaml): from
     * harvester.retry.initial-delay, .backoff-multiplier and .max-delay, which Retries reads too, so the numbers
     * have one source.
     */
    @BindToRegistry
    public RedeliveryPolicy retryPolicy(HarvesterSettings s) {
        RetrySettings r = s.retry();
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setRedeliveryDelay(r.initialDelayMillis());
        policy.setUseExponentialBackOff(true);
        policy.setBackOffMultiplier(r.multiplier());
        policy.setUseCollisionAvoidance(true);
        policy.setMaximumRedeliveryDelay(r.maxDelayMillis());
        // a retry is logged by rateLimitWait, in words, when it happens; Camel's own line came for every failure too
        policy.setLogRetryAttempted(false);
        policy.setLogStackTrace(false);
        policy.setLogRetryStackTrace(false);
        policy.setLogExhausted(false);
        policy.setLogHandled(false);
        return policy;
    }

    /** The error handler's retryWhile: transient failures, within harvester.retry.max-attempts and max-wait. */
    @BindToRegistry
    public Retries retries(HarvesterSettings s) {
        RetrySettings r = s.retry();
        return new Retries(r.attempts(), r.maxWait(), new Backoff(r.initialDelayMillis(), r.multiplier(), r.maxDelayMillis()));
    }

    /** Before a retry of a 429: waits as long as the provider asks, within what is left of the retry budget. */
    @BindToRegistry
    public RateLimitWait rateLimitWait(HarvesterSettings settings, Retries retries, HarvesterMetrics metrics) {
        return new RateLimitWait(settings.retry().maxWait(), Clock.systemUTC(), retries, metrics);
    }

    /** Listing calls, in parallel. Pools are shut down with Camel. */
    @BindToRegistry(destroyMethod = "shutdownNow")
    public ExecutorService listingPool(HarvesterSettings settings) {
        return WorkPools.bounded("harvester-list-", 2 * settings.run().concurrency());
    }

    /** Downloads: enough threads to keep every request slot busy while some wait for their account's pacer. */
    @BindToRegistry(destroyMethod = "shutdownNow")
    public ExecutorService downloadPool(HarvesterSettings settings) {
        return WorkPools.bounded("harvester-download-", 4 * settings.run().concurrency());
    }

    /** Validate, archive, ingest, drop and record of downloaded files (harvester.store-concurrency). */
    @BindToRegistry(destroyMethod = "shutdownNow")
    public ExecutorService storePool(HarvesterSettings settings) {
        return WorkPools.bounded("harvester-store-", settings.run().storeConcurrency());
    }
}
