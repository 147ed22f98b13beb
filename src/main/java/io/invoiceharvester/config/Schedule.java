package io.invoiceharvester.config;

import io.invoiceharvester.model.ConfigException;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/** When the `run` service harvests: a Quartz cron in a time zone (harvester.schedule.cron and .timezone). */
public record Schedule(String cron, ZoneId zone) {

    /** How far back {@link #previous} looks: a cron of a fixed past year fires no more. */
    private static final Duration LOOK_BACK = Duration.ofDays(3660);

    /** @throws ConfigException naming the key that is wrong */
    public static Schedule of(HarvesterConfig cfg) {
        return new Schedule(cron(cfg), zone(cfg));
    }

    static ZoneId zone(HarvesterConfig cfg) {
        try {
            return ZoneId.of(cfg.get("harvester.schedule.timezone"));
        } catch (DateTimeException e) {
            throw new ConfigException("harvester.schedule.timezone: '" + cfg.get("harvester.schedule.timezone")
                    + "' is not a time zone (e.g. UTC, Europe/Berlin)");
        }
    }

    static String cron(HarvesterConfig cfg) {
        String cron = cfg.get("harvester.schedule.cron");
        if (!CronExpression.isValidExpression(cron)) {
            throw new ConfigException("harvester.schedule.cron: '" + cron + "' is not a Quartz cron expression"
                    + " (seconds minutes hours day-of-month month day-of-week, e.g. 0 0 6 * * ?)");
        }
        return cron;
    }

    /** The first firing after the instant; empty when the cron fires no more. */
    public Optional<Instant> next(Instant after) {
        Date next = expression().getNextValidTimeAfter(Date.from(after));
        return Optional.ofNullable(next).map(Date::toInstant);
    }

    /**
     * The last firing at or before the instant; empty when there was none in ten years. Quartz finds
     * firings forwards only: a window twice as long each time until it holds one, then its last one.
     */
    public Optional<Instant> previous(Instant at) {
        CronExpression cron = expression();
        Date end = Date.from(at.plusMillis(1));
        for (Duration window = Duration.ofMinutes(1); window.compareTo(LOOK_BACK) <= 0; window = window.multipliedBy(2)) {
            Date f = cron.getNextValidTimeAfter(Date.from(at.minus(window)));
            if (f != null && f.before(end)) {
                for (Date n = cron.getNextValidTimeAfter(f); n != null && n.before(end); n = cron.getNextValidTimeAfter(f)) {
                    f = n;
                }
                return Optional.of(f.toInstant());
            }
        }
        return Optional.empty();
    }

    /** A new one each time: a CronExpression is not safe to share between threads. */
    private CronExpression expression() {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(TimeZone.getTimeZone(zone));
            return expression;
        } catch (ParseException e) {
            throw new IllegalStateException("harvester.schedule.cron was validated: " + cron, e);
        }
    }
}
