package io.invoiceharvester.cli;

import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.summary.Outbox;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** invoice-harvester outbox list | send | discard NAME: the summary mail queue. */
@Command(name = "outbox", mixinStandardHelpOptions = true, description = "The summary mail queue, outbox/ and outbox/refused/.",
        subcommands = {OutboxCommand.ListMails.class, OutboxCommand.Send.class, OutboxCommand.Discard.class})
class OutboxCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Queued and refused mails. Changes nothing.")
    static class ListMails implements Callable<Integer> {
        @Mixin
        StateOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Outbox outbox = new Outbox(options.outputDir(options.load()), null);
            List<Map<String, Object>> mails = new ArrayList<>();
            for (Outbox.Mail m : outbox.pending()) {
                mails.add(describe(m, "queued", null));
            }
            for (Outbox.Mail m : outbox.refused()) {
                Path reason = m.file().resolveSibling(m.file().getFileName() + ".reason.txt");
                mails.add(describe(m, "refused", Files.exists(reason) ? Files.readString(reason).trim() : null));
            }
            if (options.json) {
                StateOptions.printJson(out, mails);
                return ExitCodes.OK;
            }
            if (mails.isEmpty()) {
                out.println("the outbox is empty");
            }
            for (Map<String, Object> m : mails) {
                out.println(m.get("state") + "  " + m.get("name") + "  " + m.get("bytes") + " bytes"
                        + (m.get("reason") == null ? "" : "  (" + m.get("reason") + ")"));
            }
            out.flush();
            return ExitCodes.OK;
        }

        private static Map<String, Object> describe(Outbox.Mail m, String state, String reason) throws IOException {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", m.file().getFileName().toString());
            out.put("state", state);
            out.put("bytes", Files.size(m.file()));
            out.put("reason", reason);
            return out;
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = {"Sends the queued mails now (to harvester.mail.smtp-host). Takes the run lock as 'operator: outbox send'.",
                "Exit 1 when a mail stays queued."})
    static class Send implements Callable<Integer> {
        static final String HOLDER = "operator: outbox send";

        @Mixin
        ConfigOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            HarvesterConfig cfg = options.quietUnlessVerbose().load();
            if (!cfg.isSet("harvester.mail.smtp-host")) {
                spec.commandLine().getErr().println("harvester.mail.smtp-host: not set; without it the outbox is the delivery");
                return ExitCodes.CONFIG;
            }
            try (Harvester service = ConfigOptions.harvester(cfg)) {
                RunState run = new RunState(UUID.randomUUID().toString(), new RunRequest("operator", List.of(), List.of()));
                // a send that lost the lock stops before its next mail: another send may be mailing them now
                return OperatorLock.run(service.runLock(), HOLDER, spec.commandLine().getErr(), run::markLockLost, lease -> {
                    service.start();
                    service.sendOutbox(run);
                    int left = new Outbox(cfg.getPath("harvester.output.dir"), null).pending().size();
                    for (RunState.Failure f : run.getFailures()) {
                        out.println("failed: " + f.item() + ": " + f.message());
                    }
                    out.println(left == 0 ? "the outbox is sent" : left + " mails stay queued");
                    out.flush();
                    return left == 0 ? ExitCodes.OK : ExitCodes.INCOMPLETE;
                });
            }
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true,
            description = "Deletes one mail (queued or refused) by its .eml name. Takes the run lock as 'operator: outbox discard'.")
    static class Discard implements Callable<Integer> {
        static final String HOLDER = "operator: outbox discard";

        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "NAME", description = "the mail's .eml file name, as `outbox list` shows it")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            HarvesterConfig cfg = options.quietUnlessVerbose().load();
            Outbox outbox = new Outbox(cfg.getPath("harvester.output.dir"), null);
            Outbox.Mail mail = null;
            for (Outbox.Mail m : concat(outbox.pending(), outbox.refused())) {
                if (m.file().getFileName().toString().equals(name)) {
                    mail = m;
                }
            }
            if (mail == null) {
                spec.commandLine().getErr().println("outbox discard: no mail named '" + name + "' (see `outbox list`)");
                return ExitCodes.CONFIG;
            }
            Outbox.Mail found = mail;
            try (Harvester service = ConfigOptions.harvester(cfg)) {
                return OperatorLock.run(service.runLock(), HOLDER, spec.commandLine().getErr(), lease -> {
                    Files.delete(found.file());
                    Files.deleteIfExists(found.file().resolveSibling(name + ".reason.txt"));
                    out.println("discarded " + name);
                    out.flush();
                    return ExitCodes.OK;
                });
            }
        }

        private static List<Outbox.Mail> concat(List<Outbox.Mail> a, List<Outbox.Mail> b) {
            List<Outbox.Mail> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }
    }
}
