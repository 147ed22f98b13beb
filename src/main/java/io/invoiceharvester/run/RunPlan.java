package io.invoiceharvester.run;

import io.invoiceharvester.config.DefaultMonths;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.model.RunState;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run covers: its months and providers (by default the current month and some before), and the
 * list calls that follows from them, one per provider, month and account.
 */
public class RunPlan {

    private final DefaultMonths months;
    private final ZoneId zone;
    private final List<String> providers;
    private final List<String> accountSwitchKeys;
    private final boolean fastlyMonthToDate;
    private final Clock clock;

    public RunPlan(DefaultMonths months, ZoneId zone, List<String> providers, List<String> accountSwitchKeys,
                   boolean fastlyMonthToDate, Clock clock) {
        this.months = months;
        this.zone = zone;
        this.providers = List.copyOf(providers);
        this.accountSwitchKeys = List.copyOf(accountSwitchKeys);
        this.fastlyMonthToDate = fastlyMonthToDate;
        this.clock = clock;
    }

    /** The schedule's run: the default months of every enabled provider. */
    public RunRequest scheduled() {
        return new RunRequest("schedule", defaultMonths(), providers);
    }

    /** harvester.schedule.months-back before the current month, or harvester.schedule.from to .to. */
    public List<YearMonth> defaultMonths() {
        return months.at(YearMonth.now(clock.withZone(zone)));
    }

    public List<String> providers() {
        return providers;
    }

    /**
     * Every list call of the run, month by month. Akamai: one per account (the switch keys, or the
     * credential's own account when there are none); Fastly: one per month (a token reaches one customer).
     */
    public List<Listing> listings(RunState run) {
        List<Listing> out = new ArrayList<>();
        List<String> wanted = run.getRequest().providers();
        for (YearMonth month : run.getRequest().months()) {
            if (wanted.contains("akamai")) {
                if (accountSwitchKeys.isEmpty()) {
                    out.add(new Listing("akamai", month.toString(), null));
                }
                for (String key : accountSwitchKeys) {
                    out.add(new Listing("akamai", month.toString(), key));
                }
            }
            if (wanted.contains("fastly")) {
                out.add(new Listing("fastly", month.toString(), null));
            }
        }
        run.planned(out.size());
        return out;
    }

    public boolean wantsMonthToDate(RunState run) {
        return fastlyMonthToDate && run.getRequest().providers().contains("fastly");
    }

    /** A dry run's step where a harvest would download: the file is noted, not fetched. */
    public void planned(RunState run, ListedFile file) {
        file.settle();
        run.planned(new RunState.Planned(file.getProvider(), file.getAccountId(), file.getMonth(), file.getInvoiceId(),
                file.getFileVersion(), file.getSourceType(), file.getContentType(), file.getSafeFileName()));
    }
}
