package io.invoiceharvester.cli;

import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.sandbox.Sandbox;
import io.invoiceharvester.sandbox.SandboxData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts the sandbox and harvests its months with a configuration of its own;"
                + " everything lands under ./out/demo/. No credentials needed.")
class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path demo = Path.of("out", "demo").toAbsolutePath();
        Path secrets = Files.createTempDirectory("harvester-demo-");
        try (Sandbox sandbox = Sandbox.start(0)) {
            Path edgerc = secrets.resolve(".edgerc");
            Files.writeString(edgerc, sandbox.edgercSection("demo"), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(edgerc, PosixFilePermissions.fromString("rw-------"));
            Path fastlyToken = secrets.resolve("fastly-token");
            Files.writeString(fastlyToken, sandbox.fastlyToken(), StandardCharsets.UTF_8);
            // the demo's own configuration: the user's environment and -D settings do not apply
            HarvesterConfig cfg = HarvesterConfig.load(null, Map.of(), new Properties())
                    .with("harvester.akamai.edgerc", edgerc.toString())
                    .with("harvester.akamai.section", "demo")
                    .with("harvester.akamai.base-url", sandbox.baseUrl())
                    .with("harvester.akamai.account-switch-keys", String.join(",", sandbox.switchKeys()))
                    .with("harvester.output.dir", demo.toString())
                    .with("harvester.ledger.formats", "csv,parquet")
                    .with("harvester.drop.uri", "file:" + demo.resolve("drop"))
                    .with("harvester.fastly.enabled", "true")
                    .with("harvester.fastly.base-url", sandbox.baseUrl())
                    .with("harvester.fastly.api-token-file", fastlyToken.toString())
                    .with("harvester.fastly.month-to-date", "true")
                    .with("harvester.mail.to", "finance@example.invalid")
                    .with("harvester.mail.smtp-host", "")
                    .with("harvester.state.url", "jdbc:h2:file:" + demo.resolve("state").resolve("harvester") + ";AUTO_SERVER=TRUE");
            out.println("sandbox on " + sandbox.baseUrl() + "; harvesting " + SandboxData.MONTHS.get(0) + " to "
                    + SandboxData.MONTHS.get(SandboxData.MONTHS.size() - 1) + " into " + demo);
            out.flush();
            OnceCommand once = new OnceCommand();
            once.run.from = SandboxData.MONTHS.get(0);
            once.run.to = SandboxData.MONTHS.get(SandboxData.MONTHS.size() - 1);
            int code = once.harvest(cfg, Map.of(), out, spec.commandLine().getErr());
            out.println("drop:    " + demo.resolve("drop"));
            out.println("archive: " + demo.resolve("archive"));
            out.println("ledger:  " + demo.resolve("ledger"));
            out.println("summary: " + demo.resolve("outbox") + " (no SMTP host in the demo: summaries wait there as .eml)");
            out.flush();
            return code;
        } finally {
            try (Stream<Path> files = Files.walk(secrets)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
