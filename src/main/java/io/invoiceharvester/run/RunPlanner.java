package io.invoiceharvester.run;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Which months and providers a run covers when nobody names them: the current month and some before. */
public class RunPlanner {

    private final int monthsBack;
    private final ZoneId zone;
    private final List<String> providers;
    private final Clock clock;

    public RunPlanner(int monthsBack, ZoneId zone, List<String> providers, Clock clock) {
        this.monthsBack = monthsBack;
        this.zone = zone;
        this.providers = List.copyOf(providers);
        this.clock = clock;
    }

    public RunRequest scheduled() {
        return new RunRequest("schedule", defaultMonths(), providers);
    }

    public List<YearMonth> defaultMonths() {
        YearMonth current = YearMonth.now(clock.withZone(zone));
        List<YearMonth> months = new ArrayList<>();
        for (int i = monthsBack; i >= 0; i--) {
            months.add(current.minusMonths(i));
        }
        return months;
    }

    public List<String> providers() {
        return providers;
    }
}
