package io.invoiceharvester.cli;

import io.invoiceharvester.config.ConfigException;
import io.invoiceharvester.state.StateUnavailableException;
import java.io.PrintWriter;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** invoice-harvester [COMMAND]: `run` when no command is given. */
@Command(name = "invoice-harvester", mixinStandardHelpOptions = true, versionProvider = HarvesterCommand.Version.class,
        description = "Collects Akamai (and Fastly) invoices: PDFs to a drop, data to a ledger, a summary by mail.",
        subcommands = {RunCommand.class, OnceCommand.class, CheckCommand.class, SandboxCommand.class, DemoCommand.class,
            LedgerCommand.class, StatusCommand.class, HistoryCommand.class, InvoicesCommand.class, OutboxCommand.class,
            RedeliverCommand.class, QuarantineCommand.class, PlanCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything fetched, validated, delivered and ingested",
            "1:the run finished, but at least one file failed (see the summary)",
            "2:configuration or credential error",
            "3:a provider could not be reached at all"})
public class HarvesterCommand implements Runnable {

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
        CommandLine cli = new CommandLine(new HarvesterCommand());
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
            if (e instanceof StateUnavailableException) {
                cmdErr.println(e.getMessage());
                cmdErr.flush();
                return ExitCodes.TEMPFAIL;
            }
            cmdErr.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            cmdErr.flush();
            return ExitCodes.INCOMPLETE;
        });
        if (args.length == 0 || args[0].startsWith("-") && !isTopLevelOption(args[0])) {
            String[] withRun = new String[args.length + 1];
            withRun[0] = "run";
            System.arraycopy(args, 0, withRun, 1, args.length);
            args = withRun;
        }
        return cli.execute(args);
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
