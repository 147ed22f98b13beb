package io.invoiceharvester.model;

/**
 * A run that ended, recorded and reported, without doing everything (exit code 1, 2 or 3). harvest-run ends with
 * it so that the route's counters (JMX, Hawtio, Prometheus) show how runs end, and the schedule's too; whoever
 * started the run takes the run from it.
 */
public class RunFailedException extends RuntimeException {

    private final transient RunState run;

    public RunFailedException(RunState run) {
        super("run " + run.getRunId() + " ended with exit code " + run.exitCode() + ": " + run.getFailureCount() + " failed");
        this.run = run;
    }

    public RunState run() {
        return run;
    }
}
