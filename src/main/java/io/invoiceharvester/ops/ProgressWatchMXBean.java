package io.invoiceharvester.ops;

/**
 * The figures of the run in flight, as JMX attributes (Hawtio): all 0 between runs; and the outcome of the last run
 * this process ended (LastRun*), kept until the next one ends.
 */
public interface ProgressWatchMXBean {

    String getRunId();

    int getListingsDone();

    int getListingsKnown();

    int getFilesDone();

    int getFilesKnown();

    long getBytes();

    int getFailures();

    double getFilesPerSecond();

    /** Seconds until the run's files are done at the current rate; -1 while unknown. */
    long getEtaSeconds();

    int getRequestsInFlight();

    /** The last run this process ended ("" before the first). */
    String getLastRunId();

    /** Its exit code (-1 before the first). */
    int getLastRunExitCode();

    /** When it ended, ISO 8601 ("" before the first). */
    String getLastRunEnded();

    /** Its line: files listed, new (stored), already stored, left out by the routes, failed, and its exit code. */
    String getLastRunSummary();

    int getLastRunFilesListed();

    /** The files the last run stored (new: not stored before). */
    int getLastRunFilesStored();

    /** LastRunFilesStored under its name before 2026-12. */
    @Deprecated
    int getLastRunFilesNew();

    int getLastRunFilesLeftOut();

    int getLastRunFailureCount();

    /** Its first failures, "item: what happened" (all of them are in the state database). */
    String[] getLastRunFailures();
}
