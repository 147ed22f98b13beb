package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.http.Cutoffs;
import io.invoiceharvester.ledger.Ledger;
import io.invoiceharvester.ledger.LedgerExport;
import io.invoiceharvester.ledger.LedgerIngest;
import io.invoiceharvester.ledger.LedgerPublish;
import io.invoiceharvester.ledger.LedgerRebuild;
import io.invoiceharvester.ledger.PublishTarget;
import io.invoiceharvester.model.ContentFilter;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.state.StateDatabase;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The FOCUS ledger: invoice data in, months rebuilt, exports out (harvester.ledger.formats). */
public class LedgerBeans implements CamelConfiguration {

    /** An invoice's CSV (by its layout, harvester.ledger.csv-layouts) or JSON data, normalized into ledger lines. */
    @BindToRegistry
    public LedgerIngest ledgerIngest(Ledger ledger, HarvesterSettings settings, FailureReport failures, ContentFilter contentFilter) {
        return new LedgerIngest(ledger, settings.ledger().csvLayouts(), failures, contentFilter);
    }

    /** Months whose lines are pending a rebuild, ingested again from the archive. */
    @BindToRegistry
    public LedgerRebuild ledgerRebuild(StateDatabase state, LedgerIngest ingest, FailureReport failures) {
        return new LedgerRebuild(state.dataSource(), ingest, failures);
    }

    /** Exported months published to harvester.ledger.publish-uri's bucket, when one is set. */
    @BindToRegistry
    public LedgerPublish ledgerPublish(StateDatabase state, HarvesterSettings settings, FailureReport failures, CamelContext camel,
                                       Cutoffs cutoffs) {
        PublishTarget target = settings.ledger().publish();
        return new LedgerPublish(state.dataSource(), settings.output(), settings.ledger().formats(), target,
                () -> target.client(settings.http().outbound(), settings.http().connectTimeout(), settings.http().readTimeout(),
                        settings.ledger().publishAttemptTimeout(), settings.ledger().publishTimeout(), cutoffs), camel, failures,
                state::checkFence);
    }

    /** Changed months written to ledger/ in each of harvester.ledger.formats. */
    @BindToRegistry
    public LedgerExport ledgerExport(StateDatabase state, HarvesterSettings settings, FailureReport failures) {
        return new LedgerExport(state.dataSource(), settings.output(), settings.ledger().formats(), failures, state::checkFence);
    }
}
