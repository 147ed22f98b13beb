package io.invoiceharvester.summary;

import io.invoiceharvester.fastly.MonthToDate;
import io.invoiceharvester.run.FileTask;
import io.invoiceharvester.run.RunReport;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * The aggregation strategy of the run-events route. Events are the listed files, each delivered file,
 * and the run's report, which also completes the run. The caller's exchange is left as it was.
 */
public class RunSummaryAggregator implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange aggregated, Exchange event) {
        Exchange target = aggregated == null ? event : aggregated;
        RunSummary summary = aggregated == null ? new RunSummary() : aggregated.getIn().getBody(RunSummary.class);
        Object body = event.getIn().getBody();
        if (body instanceof RunReport report) {
            summary.end(report);
        } else if (body instanceof FileTask file) {
            summary.delivered(file);
        } else if (body instanceof MonthToDate.Estimate estimate) {
            summary.estimate(estimate);
        } else if (body instanceof List<?> listed) {
            summary.listed(listed);
        }
        target.getIn().setBody(summary);
        return target;
    }
}
