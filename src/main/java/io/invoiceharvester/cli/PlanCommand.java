package io.invoiceharvester.cli;

import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.model.RunRequest;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** invoice-harvester plan: a dry run of `once` with the same options. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"A dry run: the list calls a `once` with the same options would make (they are made) and the files it",
            "would download. Downloads, records and mails nothing; takes no lock."})
class PlanCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    RunOptions run = new RunOptions();

    @Option(names = "--json", description = "print JSON instead of a list")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Harvester service = options.harvester()) {
            RunRequest request = run.request("plan", service);
            service.start();
            RunState run = service.plan(request);
            List<Listing> listings = service.runPlan().listings(run);
            if (json) {
                Map<String, Object> plan = new LinkedHashMap<>();
                plan.put("listCalls", listings.stream().map(l -> {
                    Map<String, Object> call = new LinkedHashMap<>();
                    call.put("provider", l.getProvider());
                    call.put("month", l.getMonth());
                    call.put("accountSwitchKey", l.getAccountSwitchKey());
                    return call;
                }).toList());
                plan.put("wouldDownload", run.getPlanned());
                plan.put("alreadyDelivered", run.getFilesSkipped());
                plan.put("failures", run.getFailures());
                StateOptions.printJson(out, plan);
            } else {
                out.println(listings.size() + " list calls:");
                listings.forEach(l -> out.println("  " + l));
                out.println(run.getPlanned().size() + " files would be downloaded (" + run.getFilesSkipped()
                        + " listed files are delivered already):");
                run.getPlanned().forEach(f -> out.println("  " + f));
                run.getFailures().forEach(f -> out.println("failed: " + f.item() + ": " + f.message()));
                out.flush();
            }
            return run.getFailureCount() == 0 ? ExitCodes.OK : ExitCodes.INCOMPLETE;
        }
    }
}
