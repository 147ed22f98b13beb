package io.invoiceharvester.cli;

import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.model.RunState;
import java.io.PrintWriter;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** invoice-harvester redeliver: the drop again, from the archive; never a download. */
@Command(name = "redeliver", mixinStandardHelpOptions = true,
        description = {"Drops stored PDFs again from the archive (e.g. after the drop folder was cleaned), recorded as dropped",
            "now; never downloads. Takes the run lock as 'operator: redeliver'."})
class RedeliverCommand implements Callable<Integer> {

    static final String HOLDER = "operator: redeliver";

    @Mixin
    ConfigOptions options;

    @Option(names = "--invoice", paramLabel = "ID", description = "an invoice id (repeatable)")
    List<String> invoices = new ArrayList<>();

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "a billing month (repeatable)")
    List<YearMonth> months = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (invoices.isEmpty() && months.isEmpty()) {
            spec.commandLine().getErr().println("redeliver: name what to deliver again with --invoice ID or --month YYYY-MM");
            return ExitCodes.CONFIG;
        }
        try (Harvester service = options.harvester()) {
            List<ListedFile> files = service.deliveryLog().storedPdfs(months.stream().map(YearMonth::toString).toList(), invoices);
            // an id or a month that matches nothing is a mistyped argument, not "0 of 0 redelivered"
            List<String> unmatched = new ArrayList<>();
            invoices.stream().filter(id -> files.stream().noneMatch(f -> f.getInvoiceId().equals(id)))
                    .forEach(id -> unmatched.add("invoice " + id));
            months.stream().filter(m -> files.stream().noneMatch(f -> f.getMonth().equals(m.toString())))
                    .forEach(m -> unmatched.add("month " + m));
            if (!unmatched.isEmpty()) {
                spec.commandLine().getErr().println("redeliver: no stored PDF of " + String.join(", ", unmatched)
                        + " (see `invoices`)");
                return ExitCodes.CONFIG;
            }
            return OperatorLock.run(service.runLock(), HOLDER, spec.commandLine().getErr(), lease -> {
                service.start();
                RunState run = service.redeliver(new RunState(UUID.randomUUID().toString(),
                        new RunRequest("operator", months, List.of())), files);
                for (RunState.Failure f : run.getFailures()) {
                    out.println("failed: " + f.item() + ": " + f.message());
                }
                out.println("redelivered " + (files.size() - run.getFailureCount()) + " of " + files.size() + " stored PDFs");
                out.flush();
                return run.getFailureCount() == 0 ? ExitCodes.OK : ExitCodes.INCOMPLETE;
            });
        }
    }
}
