package io.invoiceharvester.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one harvest run, filled in concurrently by the routes; it decides the exit code. It holds
 * counts, and only the first failures in full (all of them are in the state database), so its size does
 * not grow with the size of the run.
 */
public final class RunState {

    /** Failures kept in memory for the console and the summary; the rest are counted. */
    static final int KEPT_FAILURES = 100;

    /** Why an item failed: decides between exit codes 1, 2 and 3. */
    public enum FailureKind { CREDENTIALS, UNREACHABLE, CONTENT, OTHER }

    public record Failure(FailureKind kind, String item, String message) {
    }

    private final String runId;
    private final RunRequest request;
    private final Instant startedAt = Instant.now();
    private final AtomicInteger listsOk = new AtomicInteger();
    private final AtomicInteger listingsPlanned = new AtomicInteger();
    private final AtomicInteger listingsDone = new AtomicInteger();
    private final AtomicInteger filesWanted = new AtomicInteger();
    private final AtomicInteger filesListed = new AtomicInteger();
    private final AtomicInteger filesSkipped = new AtomicInteger();
    private final AtomicInteger filesDiscarded = new AtomicInteger();
    private final AtomicInteger filesStored = new AtomicInteger();
    private final AtomicInteger filesLeftOut = new AtomicInteger();
    private final AtomicInteger filesNotFetched = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final List<Failure> keptFailures = new ArrayList<>();
    private final Map<FailureKind, Integer> failuresByKind = new EnumMap<>(FailureKind.class);
    private int failureCount;
    private final List<String> notes = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private volatile boolean lockLost;
    private volatile boolean deadlinePassed;

    private final List<Planned> planned = new ArrayList<>();

    /** A file a harvest would download (`plan`). The version is null when only the download tells it (Fastly). */
    public record Planned(String provider, String account, String month, String invoiceId, String version, String sourceType,
                          String contentType, String fileName) {
        @Override
        public String toString() {
            return provider + " invoice " + invoiceId + (version == null ? "" : " v" + version) + " " + sourceType + " " + contentType
                    + " (" + fileName + ", account " + account + ", " + month + ")";
        }
    }

    public RunState(String runId, RunRequest request) {
        this.runId = runId;
        this.request = request;
    }

    /** A dry run (`plan`): it lists, and downloads and records nothing. */
    public boolean isDryRun() {
        return "plan".equals(request.trigger());
    }

    /** A file a harvest would download (a dry run notes it instead). */
    public synchronized void planned(Planned file) {
        planned.add(file);
    }

    public synchronized List<Planned> getPlanned() {
        return List.copyOf(planned);
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

    /** False once the run lock was taken over by another process: it changes nothing more (no fetch, no mail). */
    public boolean isHoldsLock() {
        return !lockLost;
    }

    /** False once the run lost its lock or passed its deadline: no new list call or download starts. */
    public boolean isFetching() {
        return !lockLost && !deadlinePassed;
    }

    /**
     * The run lock was taken over: this run (or operator command) changes nothing more.
     *
     * @return whether this is the first time it is told so
     */
    public synchronized boolean markLockLost() {
        boolean first = !lockLost;
        lockLost = true;
        return first;
    }

    /** The run passed harvester.run.max-duration, or the service is stopping: nothing new starts (fetches, sends). */
    public boolean isPastDeadline() {
        return deadlinePassed;
    }

    public void markDeadlinePassed() {
        deadlinePassed = true;
    }

    public void planned(int listings) {
        listingsPlanned.set(listings);
    }

    /** A list call answered: {@code files} listed, of which {@code wanted} are of the types the run fetches. */
    public void listed(int files, int wanted) {
        listsOk.incrementAndGet();
        filesListed.addAndGet(files);
        filesWanted.addAndGet(wanted);
    }

    /** A list call is over, answered or failed. */
    public void listingDone() {
        listingsDone.incrementAndGet();
    }

    public int getListingsPlanned() {
        return listingsPlanned.get();
    }

    public int getListingsDone() {
        return listingsDone.get();
    }

    public int getFilesWanted() {
        return filesWanted.get();
    }

    public void skipped() {
        filesSkipped.incrementAndGet();
    }

    /** A listed file an operator discarded: neither fetched nor delivered. */
    public void discarded() {
        filesDiscarded.incrementAndGet();
    }

    public int getFilesDiscarded() {
        return filesDiscarded.get();
    }

    /** A wanted file that a route left out: it ended its split with nothing counted for it. */
    public void leftOut() {
        filesLeftOut.incrementAndGet();
    }

    public int getFilesLeftOut() {
        return filesLeftOut.get();
    }

    /** A wanted file not fetched because the run stopped fetching (lock lost, deadline, a stop). */
    public void notFetched() {
        filesNotFetched.incrementAndGet();
    }

    public int getFilesNotFetched() {
        return filesNotFetched.get();
    }

    /** Listed files whose content type the run does not fetch (harvester.akamai.content-types). */
    public int getFilesNotWanted() {
        return filesListed.get() - filesWanted.get();
    }

    /** A file archived and recorded by this run (new: not stored before). */
    public void stored(long size) {
        filesStored.incrementAndGet();
        bytes.addAndGet(size);
    }

    /** @return the failure's sequence number in this run */
    public synchronized int failed(Failure failure) {
        if (keptFailures.size() < KEPT_FAILURES) {
            keptFailures.add(failure);
        }
        failuresByKind.merge(failure.kind(), 1, Integer::sum);
        return failureCount++;
    }

    /** The first failures (up to {@value #KEPT_FAILURES}); {@link #getFailureCount()} counts them all. */
    public synchronized List<Failure> getFailures() {
        return List.copyOf(keptFailures);
    }

    public synchronized int getFailureCount() {
        return failureCount;
    }

    /** Something the summary mentions that is neither a file nor a failure (e.g. a month-to-date estimate). */
    public synchronized void note(String note) {
        if (notes.size() < KEPT_FAILURES) {
            notes.add(note);
        }
    }

    public synchronized List<String> getNotes() {
        return List.copyOf(notes);
    }

    /** What an operator did that this run's summary tells once (a discarded file): a section of its own. */
    public synchronized void notice(String notice) {
        if (notices.size() < KEPT_FAILURES) {
            notices.add(notice);
        }
    }

    public synchronized List<String> getNotices() {
        return List.copyOf(notices);
    }

    public int getFilesListed() {
        return filesListed.get();
    }

    public int getFilesSkipped() {
        return filesSkipped.get();
    }

    public int getFilesStored() {
        return filesStored.get();
    }

    /**
     * {@link #getFilesStored()} under its name before 2026-12, which a route copy may read
     * (${exchangeProperty.harvesterRun.filesNew}); docs/routes.md names the new one.
     */
    @Deprecated
    public int getFilesNew() {
        return getFilesStored();
    }

    public long getBytes() {
        return bytes.get();
    }

    /** 0 all done; 2 every call refused on credentials; 3 no provider reachable at all; 1 anything else failed. */
    public synchronized int exitCode() {
        if (failureCount == 0) {
            return 0;
        }
        boolean nothingWorked = listsOk.get() == 0;
        if (nothingWorked && failuresByKind.getOrDefault(FailureKind.CREDENTIALS, 0) == failureCount) {
            return 2;
        }
        if (nothingWorked && failuresByKind.getOrDefault(FailureKind.UNREACHABLE, 0) == failureCount) {
            return 3;
        }
        return 1;
    }

    public String summaryLine() {
        return "run " + runId + ": " + filesListed.get() + " files listed, " + filesStored.get() + " new ("
                + bytes.get() + " bytes), " + filesSkipped.get() + " already stored, "
                + (getFilesNotWanted() > 0 ? getFilesNotWanted() + " not of the fetched types, " : "")
                + (filesLeftOut.get() > 0 ? filesLeftOut.get() + " left out by the routes, " : "")
                + (filesNotFetched.get() > 0 ? filesNotFetched.get() + " not fetched (the run stopped fetching), " : "")
                + (filesDiscarded.get() > 0 ? filesDiscarded.get() + " discarded from the quarantine, " : "") + getFailureCount() + " failed";
    }
}
