package io.invoiceharvester.cli;

import io.invoiceharvester.model.ConfigException;
import io.invoiceharvester.state.StateUnavailableException;
import java.io.PrintWriter;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** invoice-harvester [COMMAND]: `run` when no command is given. */
@Command(name = "invoice-harvester", mixinStandardHelpOptions = true, versionProvider = HarvesterCommand.Version.class,
        description = "Collects Akamai (and Fastly) invoices: PDFs to a drop, data to a ledger, a summary by mail.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything fetched, validated, delivered and ingested",
            "1:the run finished, but at least one file failed (see the summary)",
            "2:configuration or credential error",
            "3:a provider could not be reached at all",
            "75:the state database cannot be reached yet, or the management port is in use: try again later"})
public class HarvesterCommand implements Runnable {

    /**
     * The commands, in the order help lists them. Only the one invoked is built (picocli reads every
     * command's annotations when it is added: a tenth of a second an operator's `status` does not wait for).
     */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("run", RunCommand::new);
        COMMANDS.put("once", OnceCommand::new);
        COMMANDS.put("check", CheckCommand::new);
        COMMANDS.put("sandbox", SandboxCommand::new);
        COMMANDS.put("demo", DemoCommand::new);
        COMMANDS.put("ledger", LedgerCommand::new);
        COMMANDS.put("status", StatusCommand::new);
        COMMANDS.put("history", HistoryCommand::new);
        COMMANDS.put("invoices", InvoicesCommand::new);
        COMMANDS.put("outbox", OutboxCommand::new);
        COMMANDS.put("redeliver", RedeliverCommand::new);
        COMMANDS.put("quarantine", QuarantineCommand::new);
        COMMANDS.put("plan", PlanCommand::new);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        if (args.length == 0 || args[0].startsWith("-") && !isTopLevelOption(args[0])) {
            String[] withRun = new String[args.length + 1];
            withRun[0] = "run";
            System.arraycopy(args, 0, withRun, 1, args.length);
            args = withRun;
        }
        // help, --version and an unknown command see them all; the settings below reach the commands added before
        CommandLine cli = new CommandLine(new HarvesterCommand());
        Supplier<Object> invoked = COMMANDS.get(args[0]);
        if (invoked != null) {
            cli.addSubcommand(args[0], invoked.get());
        } else {
            COMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.registerConverter(YearMonth.class, HarvesterCommand::month);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter cmdErr = cmd.getErr();
            if (e instanceof ConfigException) {
                for (String line : e.getMessage().split("\\R")) {
                    cmdErr.println("configuration error: " + line);
                }
                cmdErr.flush();
                return ExitCodes.CONFIG;
            }
            if (e instanceof StateUnavailableException || e instanceof ManagementPort.InUseException) {
                cmdErr.println(e.getMessage());
                cmdErr.flush();
                return ExitCodes.TEMPFAIL;
            }
            cmdErr.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            cmdErr.flush();
            return ExitCodes.INCOMPLETE;
        });
        cli.setParameterExceptionHandler(HarvesterCommand::badArgument);
        try {
            return cli.execute(args);
        } finally {
            Logging.restore();
        }
    }

    /**
     * A bad argument, the same for every command and option: one line naming it, and where help is, on
     * stderr; exit 2. An unknown command or option is named alone (what follows it, a --config path say,
     * is not echoed).
     */
    private static int badArgument(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName(" ");
        String what;
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            what = (first.startsWith("-") ? "unknown option '" : "unknown command or argument '") + first + "'";
        } else {
            String message = e.getMessage();
            int nl = message.indexOf('\n');
            what = nl < 0 ? message : message.substring(0, nl);
        }
        cmd.getErr().println(name + ": " + what + "; see `" + name + " --help`");
        cmd.getErr().flush();
        return ExitCodes.CONFIG;
    }

    private static boolean isTopLevelOption(String arg) {
        return arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version");
    }

    static YearMonth month(String value) {
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a month (YYYY-MM)");
        }
    }

    static class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = HarvesterCommand.class.getPackage().getImplementationVersion();
            return new String[] {"invoice-harvester " + (v == null ? "(development build)" : v)};
        }
    }
}
