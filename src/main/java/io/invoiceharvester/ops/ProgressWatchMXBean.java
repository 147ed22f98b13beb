package io.invoiceharvester.ops;

/** The figures of the run in flight, as JMX attributes (Hawtio): all 0 between runs. */
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
}
