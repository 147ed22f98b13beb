package io.invoiceharvester.cli;

import io.invoiceharvester.sandbox.Sandbox;
import io.invoiceharvester.sandbox.SandboxData;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Local stand-in for the provider APIs on 127.0.0.1 with fixed data; checks signatures. Ctrl-C stops it.")
class SandboxCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8089", description = "port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--latency-ms", defaultValue = "0",
            description = "latency added to every response, like a distant API (default: ${DEFAULT-VALUE})")
    long latencyMs;

    @Option(names = "--bench-files", paramLabel = "N",
            description = "serve a benchmark data set instead: one account, one month, N single-PDF invoices")
    Integer benchFiles;

    @Option(names = "--accounts", paramLabel = "N",
            description = "serve a reseller's data set instead: N switch-key accounts, one invoice each month (see --months)")
    Integer accounts;

    @Option(names = "--months", paramLabel = "M", defaultValue = "12",
            description = "with --accounts: months of invoices, ending 2025-01 (default: ${DEFAULT-VALUE})")
    int months;

    @Option(names = "--rate-limit", paramLabel = "PER_MINUTE", defaultValue = "500",
            description = "Akamai requests per minute per account before 429; 0 for none (default: ${DEFAULT-VALUE})")
    int rateLimit;

    @Option(names = "--compute-csv", paramLabel = "FILE",
            description = "with --bench-files: also a COMPUTE invoice whose usage CSV is this file (streamed from disk)")
    Path computeCsv;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        SandboxData data = accounts != null ? SandboxData.reseller(accounts, months)
                : benchFiles != null ? SandboxData.bench(benchFiles, computeCsv) : new SandboxData();
        try (Sandbox sandbox = Sandbox.start(port, Duration.ofMillis(latencyMs), data, rateLimit)) {
            PrintWriter log = spec.commandLine().getOut();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.println("sandbox stopped: " + sandbox.requestCount() + " requests, " + sandbox.rateLimited()
                        + " refused with 429 (over an account's limit), at most " + sandbox.maxInFlight() + " in flight");
                log.flush();
                stopped.countDown();
            }));
            PrintWriter out = spec.commandLine().getOut();
            out.println("Akamai Invoicing v4 and Fastly Billing v3 sandbox on " + sandbox.baseUrl());
            out.println("Put this section in a throw-away .edgerc file (it changes at every start):");
            out.println();
            out.println(sandbox.edgercSection("sandbox"));
            out.println("and run the harvester with:");
            out.println("  HARVESTER_AKAMAI_EDGERC=<that file> HARVESTER_AKAMAI_SECTION=sandbox \\");
            out.println("  HARVESTER_AKAMAI_BASE_URL=" + sandbox.baseUrl() + " \\");
            out.println("  HARVESTER_AKAMAI_ACCOUNT_SWITCH_KEYS=" + String.join(",", sandbox.switchKeys()) + " \\");
            out.println("  HARVESTER_FASTLY_ENABLED=true HARVESTER_FASTLY_BASE_URL=" + sandbox.baseUrl() + " \\");
            out.println("  FASTLY_API_TOKEN=" + sandbox.fastlyToken() + " \\");
            String from = SandboxData.MONTHS.get(0).toString();
            String to = SandboxData.MONTHS.get(SandboxData.MONTHS.size() - 1).toString();
            out.println("  java -jar " + ownJar() + " once --from " + from + " --to " + to);
            out.println("or, for the service on a schedule over those months, add HARVESTER_SCHEDULE_FROM=" + from
                    + " HARVESTER_SCHEDULE_TO=" + to + " and run `run` instead of `once ...`");
            out.flush();
            stopped.await();
        }
        return ExitCodes.OK;
    }

    /** Where this jar is, so the hint works from any working directory. */
    private static String ownJar() {
        try {
            return Path.of(SandboxCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | SecurityException e) {
            return "the jar";
        }
    }
}
