package io.invoiceharvester.config;

import io.invoiceharvester.model.ConfigException;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The months a scheduled run (and a `once` without months) covers: the current month and harvester.schedule.months-back
 * before; or, with harvester.schedule.from, the fixed months from it to harvester.schedule.to (the current month when
 * empty), for a schedule over months of one's choice, such as the sandbox's.
 */
public record DefaultMonths(int back, YearMonth from, YearMonth to) {

    /** The longest fixed span: as far as months-back reaches. */
    static final int MOST = 121;

    static DefaultMonths of(HarvesterConfig cfg, Problems problems) {
        int back = problems.check(() -> cfg.getInt("harvester.schedule.months-back", 0, MOST - 1), 1);
        YearMonth from = problems.check(() -> month(cfg, "harvester.schedule.from"), null);
        YearMonth to = problems.check(() -> month(cfg, "harvester.schedule.to"), null);
        if (from == null && to != null) {
            problems.add("harvester.schedule.to: needs harvester.schedule.from (without it, runs count back from the current month)");
        } else if (from != null && to != null && (to.isBefore(from) || from.plusMonths(MOST - 1).isBefore(to))) {
            problems.add("harvester.schedule.to: " + to + " must be from harvester.schedule.from (" + from + ") to " + MOST
                    + " months after it");
        }
        return new DefaultMonths(back, from, to);
    }

    private static YearMonth month(HarvesterConfig cfg, String key) {
        if (!cfg.isSet(key)) {
            return null;
        }
        try {
            return YearMonth.parse(cfg.get(key));
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + ": '" + cfg.get(key) + "' is not a month (YYYY-MM)");
        }
    }

    /** The months, oldest first, given the current month. */
    public List<YearMonth> at(YearMonth current) {
        YearMonth first = from != null ? from : current.minusMonths(back);
        YearMonth last = from != null && to != null ? to : current;
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth m = first; !m.isAfter(last) && months.size() < MOST; m = m.plusMonths(1)) {
            months.add(m);
        }
        return months;
    }
}
