package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.ledger.table.Ledger;
import io.invoiceharvester.ledger.table.LedgerFigures;
import io.invoiceharvester.state.DeliveryLog;
import io.invoiceharvester.state.QuarantineLog;
import io.invoiceharvester.state.RunHistory;
import io.invoiceharvester.state.RunLock;
import io.invoiceharvester.state.StateDatabase;
import io.invoiceharvester.state.SummaryRecords;
import io.invoiceharvester.state.WaitingFiles;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** The state database's tables, each behind the bean the routes call (the database itself is CommandBeans.stateDatabase). */
public class StateBeans implements CamelConfiguration {

    /** What was stored, dropped and discarded: the record of every file. */
    @BindToRegistry
    public DeliveryLog deliveryLog(StateDatabase state) {
        return new DeliveryLog(state.dataSource());
    }

    @BindToRegistry
    public RunHistory runHistory(StateDatabase state) {
        return new RunHistory(state.dataSource());
    }

    @BindToRegistry
    public QuarantineLog quarantineLog(StateDatabase state) {
        return new QuarantineLog(state.dataSource());
    }

    /** One run at a time across every instance, leased for harvester.run-lock.lease. */
    @BindToRegistry
    public RunLock runLock(StateDatabase state, HarvesterSettings settings) {
        return new RunLock(state, settings.state().lockLease());
    }

    /** The ledger's lines, in the state database. */
    @BindToRegistry
    public Ledger ledger(StateDatabase state) {
        return new Ledger(state.dataSource());
    }

    /** The ledger's sums, for the summary and the metrics. */
    @BindToRegistry
    public LedgerFigures ledgerFigures(StateDatabase state) {
        return new LedgerFigures(state.dataSource());
    }

    /** Files that wait on a person: not served by the provider, or a CSV no layout recognises. */
    @BindToRegistry
    public WaitingFiles waitingFiles(StateDatabase state) {
        return new WaitingFiles(state.dataSource());
    }

    @BindToRegistry
    public SummaryRecords summaryRecords(StateDatabase state) {
        return new SummaryRecords(state.dataSource());
    }
}
