package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.http.Cutoffs;
import io.invoiceharvester.ledger.export.LedgerExport;
import io.invoiceharvester.ledger.publish.LedgerPublish;
import io.invoiceharvester.ledger.publish.PublishTarget;
import io.invoiceharvester.ledger.read.CsvLedger;
import io.invoiceharvester.ledger.read.LedgerIngest;
import io.invoiceharvester.ledger.table.Ledger;
import io.invoiceharvester.ledger.table.LedgerRebuild;
import io.invoiceharvester.ledger.table.LedgerTotals;
import io.invoiceharvester.model.ContentFilter;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.state.StateDatabase;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import software.amazon.awssdk.services.s3.S3Client;

/** The FOCUS ledger: invoice data in, months rebuilt, exports out (harvester.ledger.formats), published. */
public class LedgerBeans implements CamelConfiguration {

    /** An invoice's JSON data, normalized into ledger lines. */
    @BindToRegistry
    public LedgerIngest ledgerIngest(Ledger ledger, FailureReport failures, ContentFilter contentFilter) {
        return new LedgerIngest(ledger, failures, contentFilter);
    }

    /** ledger-csv's steps: an invoice CSV by its layout (harvester.ledger.csv-layouts), a batch of records at a time. */
    @BindToRegistry
    public CsvLedger csvLedger(Ledger ledger, HarvesterSettings settings) {
        return new CsvLedger(ledger, settings.ledger().csvLayouts());
    }

    /** ledger-csv's split: what its batches wrote, summed into the file's totals. */
    @BindToRegistry
    public LedgerTotals ledgerTotals() {
        return new LedgerTotals();
    }

    /** Months whose lines are pending a rebuild, ingested again from the archive. */
    @BindToRegistry
    public LedgerRebuild ledgerRebuild(StateDatabase state) {
        return new LedgerRebuild(state.dataSource());
    }

    /**
     * The ledger bucket's client as publish-ledger's endpoint names it, built on its first call (a run's read-back),
     * never when the service starts.
     */
    @BindToRegistry(PublishTarget.CLIENT_BEAN)
    public S3Client ledgerPublishS3Client(HarvesterSettings settings, Cutoffs cutoffs) {
        PublishTarget target = settings.ledger().publish();
        return LedgerPublish.client(() -> {
            if (target == null) {
                throw new IllegalStateException("no ledger bucket is set (harvester.ledger.publish-uri)");
            }
            return target.client(settings.http().outbound(), settings.http().connectTimeout(), settings.http().readTimeout(),
                    settings.ledger().publishAttemptTimeout(), settings.ledger().publishTimeout(), cutoffs);
        });
    }

    /** Exported months published to harvester.ledger.publish-uri's bucket, when one is set. */
    @BindToRegistry
    public LedgerPublish ledgerPublish(StateDatabase state, HarvesterSettings settings, S3Client ledgerPublishS3Client) {
        return new LedgerPublish(state.dataSource(), settings.output(), settings.ledger().formats(), settings.ledger().publish(),
                ledgerPublishS3Client);
    }

    /** Changed months written to ledger/ in each of harvester.ledger.formats. */
    @BindToRegistry
    public LedgerExport ledgerExport(StateDatabase state, HarvesterSettings settings) {
        return new LedgerExport(state.dataSource(), settings.output(), settings.ledger().formats(), state::checkFence);
    }
}
