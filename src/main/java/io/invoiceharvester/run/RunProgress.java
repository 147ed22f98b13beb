package io.invoiceharvester.run;

import io.invoiceharvester.model.ContentFilter;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.ops.HarvesterMetrics;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts what a run lists, skips and delivers, in its report, the log and the metrics. */
public class RunProgress {

    private static final Logger LOG = LoggerFactory.getLogger(RunProgress.class);

    private final HarvesterMetrics metrics;
    private final ContentFilter contentFilter;

    public RunProgress(HarvesterMetrics metrics, ContentFilter contentFilter) {
        this.metrics = metrics;
        this.contentFilter = contentFilter;
    }

    public List<ListedFile> listed(RunState run, Listing listing,
                                 List<ListedFile> files) {
        run.listed(files.size(), (int) files.stream().filter(contentFilter::wanted).count());
        run.listingDone();
        if (!files.isEmpty()) {
            LOG.info("{}: {} files listed", listing, files.size());
        }
        return files;
    }

    public void skipped(RunState run, ListedFile file) {
        file.settle();
        run.skipped();
        LOG.debug("already stored: {}", file);
    }

    /** A file an operator discarded from the quarantine: not fetched, and not counted as stored (it never was). */
    public void discarded(RunState run, ListedFile file) {
        file.settle();
        run.discarded();
        LOG.debug("discarded by an operator, not fetched: {}", file);
    }

    /** The run lost its lock, or passed its deadline, or is stopping: the file is left for the next run. */
    public void notFetched(RunState run, ListedFile file) {
        file.settle();
        run.notFetched();
        LOG.debug("not fetched (the run stopped fetching): {}", file);
    }

    public void stored(RunState run, ListedFile file) {
        file.settle();
        run.stored(file.getBytes());
        metrics.stored(file);
        LOG.info("archived and recorded {} ({} bytes)", file, file.getBytes());
    }
}
