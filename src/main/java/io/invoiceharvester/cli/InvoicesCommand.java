package io.invoiceharvester.cli;

import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.state.StateDatabase;
import io.invoiceharvester.state.StateReport;
import java.io.PrintWriter;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** invoice-harvester invoices: did it arrive, and what became of it. Read-only. */
@Command(name = "invoices", mixinStandardHelpOptions = true,
        description = {"What was found and what happened to each file: versions, where it is archived, when it was dropped,",
            "its ledger lines and reconciliation. Changes nothing."})
class InvoicesCommand implements Callable<Integer> {

    @Mixin
    StateOptions options;

    @Option(names = "--provider", paramLabel = "akamai|fastly")
    String provider;

    @Option(names = "--account", paramLabel = "ID")
    String account;

    @Option(names = "--month", paramLabel = "YYYY-MM")
    YearMonth month;

    @Option(names = "--invoice", paramLabel = "ID")
    String invoice;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (provider != null && !List.of("akamai", "fastly").contains(provider)) {
            spec.commandLine().getErr().println(spec.qualifiedName(" ") + ": --provider: '" + provider
                    + "' is neither akamai nor fastly; see `" + spec.qualifiedName(" ") + " --help`");
            return ExitCodes.CONFIG;
        }
        PrintWriter out = spec.commandLine().getOut();
        HarvesterConfig cfg = options.load();
        try (StateDatabase state = options.openForReading(cfg)) {
            List<StateReport.StoredFile> files = new StateReport(state.dataSource()).files(null,
                    new StateReport.InvoiceFilter(provider, account, month == null ? null : month.toString(), invoice));
            if (options.json) {
                StateOptions.printJson(out, files);
                return ExitCodes.OK;
            }
            if (files.isEmpty()) {
                out.println("no stored file matches");
            }
            for (StateReport.StoredFile f : files) {
                out.println(f.provider() + " " + f.accountId() + " " + f.month() + " " + f.invoiceType() + " " + f.invoiceId()
                        + " v" + f.version() + " " + f.sourceType() + " " + f.contentType() + " " + f.fileName());
                out.println("    stored " + f.deliveredAt() + " by run " + f.runId() + ", archived at " + f.archivedPath());
                if ("application/pdf".equals(f.contentType())) {
                    out.println("    " + (f.droppedAt() == null ? "not in the drop yet (a later run delivers it)" : "dropped " + f.droppedAt()));
                } else if (f.ledgerLines() != null) {
                    out.println("    ledger: " + f.ledgerLines() + " lines, " + (Boolean.TRUE.equals(f.reconciled())
                            ? "reconciled with the invoice total" : "NOT reconciled: " + f.reconciliation()));
                } else {
                    out.println("    ledger: not the source of the invoice's lines (another version, or its CSV)");
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
