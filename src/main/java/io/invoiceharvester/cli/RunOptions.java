package io.invoiceharvester.cli;

import io.invoiceharvester.model.ConfigException;
import io.invoiceharvester.model.RunRequest;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/** What a harvest covers, as `once` and `plan` take it: months and a provider. */
public class RunOptions {

    static final int MAX_MONTHS = 120;

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "a billing month (repeatable)")
    List<YearMonth> months = new ArrayList<>();

    @Option(names = "--from", paramLabel = "YYYY-MM", description = "first month of a range")
    YearMonth from;

    @Option(names = "--to", paramLabel = "YYYY-MM", description = "last month of a range (default: the current month)")
    YearMonth to;

    @Option(names = "--provider", paramLabel = "akamai|fastly", description = "only this provider")
    String provider;

    RunRequest request(String trigger, Harvester service) {
        return new RunRequest(trigger, months(service), providers(service));
    }

    private List<YearMonth> months(Harvester service) {
        TreeSet<YearMonth> all = new TreeSet<>(months);
        if (to != null && from == null) {
            throw new ConfigException("--to needs --from");
        }
        if (from != null) {
            YearMonth last = to != null ? to : YearMonth.now();
            if (last.isBefore(from)) {
                throw new ConfigException("--from " + from + " is after --to " + last);
            }
            for (YearMonth m = from; !m.isAfter(last) && all.size() <= MAX_MONTHS; m = m.plusMonths(1)) {
                all.add(m);
            }
        }
        if (all.size() > MAX_MONTHS) {
            throw new ConfigException("--month/--from/--to: more than " + MAX_MONTHS + " months in one run");
        }
        return all.isEmpty() ? service.runPlan().defaultMonths() : List.copyOf(all);
    }

    private List<String> providers(Harvester service) {
        List<String> enabled = service.runPlan().providers();
        if (provider == null) {
            return enabled;
        }
        if (!provider.equals("akamai") && !provider.equals("fastly")) {
            throw new ConfigException("--provider: '" + provider + "' is neither akamai nor fastly");
        }
        if (!enabled.contains(provider)) {
            throw new ConfigException("--provider " + provider + ": harvester." + provider + ".enabled is false");
        }
        return List.of(provider);
    }
}
