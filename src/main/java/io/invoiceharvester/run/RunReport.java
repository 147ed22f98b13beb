package io.invoiceharvester.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What one harvest run did, filled in concurrently by the routes; it decides the exit code. */
public final class RunReport {

    /** Why an item failed: decides between exit codes 1, 2 and 3. */
    public enum FailureKind { CREDENTIALS, UNREACHABLE, CONTENT, OTHER }

    public record Failure(FailureKind kind, String item, String message) {
    }

    private final String runId;
    private final RunRequest request;
    private final Instant startedAt = Instant.now();
    private final AtomicInteger listsOk = new AtomicInteger();
    private final AtomicInteger filesListed = new AtomicInteger();
    private final AtomicInteger filesSkipped = new AtomicInteger();
    private final AtomicInteger filesNew = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final List<Failure> failures = new ArrayList<>();
    private volatile boolean lockedOut;

    public RunReport(String runId, RunRequest request) {
        this.runId = runId;
        this.request = request;
    }

    public String getRunId() {
        return runId;
    }

    public RunRequest getRequest() {
        return request;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    /** Another harvest held the run lock: this one did nothing. */
    public boolean isLockedOut() {
        return lockedOut;
    }

    void markLockedOut(String holder) {
        lockedOut = true;
        failed(FailureKind.OTHER, "run lock", "another harvest is running (" + holder + "): this one did nothing;"
                + " try again when it has finished");
    }

    public void listed(int files) {
        listsOk.incrementAndGet();
        filesListed.addAndGet(files);
    }

    public void skipped() {
        filesSkipped.incrementAndGet();
    }

    public void delivered(long size) {
        filesNew.incrementAndGet();
        bytes.addAndGet(size);
    }

    public synchronized void failed(FailureKind kind, String item, String message) {
        failures.add(new Failure(kind, item, message));
    }

    public synchronized List<Failure> getFailures() {
        return List.copyOf(failures);
    }

    public int getFilesListed() {
        return filesListed.get();
    }

    public int getFilesSkipped() {
        return filesSkipped.get();
    }

    public int getFilesNew() {
        return filesNew.get();
    }

    public long getBytes() {
        return bytes.get();
    }

    /** 0 all done; 2 every call refused on credentials; 3 no provider reachable at all; 1 anything else failed. */
    public synchronized int exitCode() {
        if (failures.isEmpty()) {
            return 0;
        }
        boolean nothingWorked = listsOk.get() == 0;
        if (nothingWorked && failures.stream().allMatch(f -> f.kind() == FailureKind.CREDENTIALS)) {
            return 2;
        }
        if (nothingWorked && failures.stream().allMatch(f -> f.kind() == FailureKind.UNREACHABLE)) {
            return 3;
        }
        return 1;
    }

    public String summaryLine() {
        return "run " + runId + ": " + filesListed.get() + " files listed, " + filesNew.get() + " new ("
                + bytes.get() + " bytes), " + filesSkipped.get() + " already delivered, "
                + getFailures().size() + " failed";
    }
}
