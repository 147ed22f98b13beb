package io.invoiceharvester.cli;

import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.FailureReport;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validates configuration and credentials, makes one read-only call per enabled provider, and exits.")
class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    /**
     * Each provider's list call goes through the harvest's own provider call (direct:akamai-get,
     * direct:fastly-get): the same client, timeouts, caps on what is read, proxy and trust as a run.
     */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Harvester service = options.harvester()) {
            service.start(); // the routes are created here: an edited copy that cannot be is named before any call
            out.println("configuration: ok; routes: ok (" + service.camelContext().getRoutes().size() + " routes"
                    + (options.routes == null ? "" : " from " + options.routes) + "); state database: ok");
            int code = ExitCodes.OK;
            for (Map.Entry<String, Object> probe : service.probe().entrySet()) {
                String what = probe.getKey();
                String provider = what.substring(0, what.indexOf(' '));
                if (probe.getValue() instanceof Integer status) {
                    out.println(provider + ": ok (" + what + ": HTTP " + status + ")");
                    continue;
                }
                Throwable error = (Throwable) probe.getValue();
                RunState.FailureKind kind = FailureReport.classify(error);
                // provider text on one printable line: no escape sequence reaches the terminal
                out.println(provider + ": " + what + ": " + FailureReport.printable(FailureReport.describe(error)));
                code = Math.max(code, switch (kind) {
                    case CREDENTIALS -> ExitCodes.CONFIG;
                    case UNREACHABLE -> ExitCodes.UNREACHABLE;
                    default -> ExitCodes.INCOMPLETE;
                });
            }
            out.flush();
            return code;
        }
    }
}
