package io.invoiceharvester.run;

import io.invoiceharvester.model.ContentFilter;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.ops.HarvesterMetrics;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
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

    public List<ListedFile> listed(@ExchangeProperty(ExchangeProperties.RUN) RunState run, @ExchangeProperty(ExchangeProperties.ITEM) Listing listing,
                                 @Body List<ListedFile> files) {
        run.listed(files.size(), (int) files.stream().filter(contentFilter::wanted).count());
        run.listingDone();
        if (!files.isEmpty()) {
            LOG.info("{}: {} files listed", listing, files.size());
        }
        return files;
    }

    public void skipped(@ExchangeProperty(ExchangeProperties.RUN) RunState run, @Body ListedFile file) {
        file.settle();
        run.skipped();
        LOG.debug("already delivered: {}", file);
    }

    /** A file an operator discarded from the quarantine: not fetched, and not counted as delivered (it never was). */
    public void discarded(@ExchangeProperty(ExchangeProperties.RUN) RunState run, @Body ListedFile file) {
        file.settle();
        run.discarded();
        LOG.debug("discarded by an operator, not fetched: {}", file);
    }

    /** The run lost its lock, or passed its deadline, or is stopping: the file is left for the next run. */
    public void notFetched(@ExchangeProperty(ExchangeProperties.RUN) RunState run, @Body ListedFile file) {
        file.settle();
        run.notFetched();
        LOG.debug("not fetched (the run stopped fetching): {}", file);
    }

    public void delivered(@ExchangeProperty(ExchangeProperties.RUN) RunState run, @Body ListedFile file) {
        file.settle();
        run.delivered(file.getBytes());
        metrics.delivered(file);
        LOG.info("delivered {} ({} bytes)", file, file.getBytes());
    }
}
