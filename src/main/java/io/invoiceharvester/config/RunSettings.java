package io.invoiceharvester.config;

import java.time.Duration;
import java.time.ZoneId;

/**
 * What a run covers and how much it does at once: the schedule (harvester.schedule.cron, .timezone), its months
 * (.months-back, or .from and .to), harvester.concurrency,
 * harvester.store-concurrency, harvester.progress.interval and harvester.run.max-duration.
 */
public record RunSettings(Schedule schedule, DefaultMonths months, int concurrency, int storeConcurrency, Duration progressInterval,
                          Duration maxDuration) {

    static RunSettings of(HarvesterConfig cfg, Problems problems) {
        ZoneId zone = problems.check(() -> Schedule.zone(cfg), ZoneId.of("UTC"));
        String cron = problems.check(() -> Schedule.cron(cfg), "0 0 6 * * ?");
        DefaultMonths months = DefaultMonths.of(cfg, problems);
        int concurrency = problems.check(() -> cfg.getInt("harvester.concurrency", 1, 64), 4);
        int storeConcurrency = problems.check(() -> cfg.getInt("harvester.store-concurrency", 1, 64), 2);
        Duration progressInterval = problems.check(() -> cfg.getDuration("harvester.progress.interval"), Duration.ofSeconds(30));
        Duration maxDuration = problems.check(() -> cfg.getPositiveDuration("harvester.run.max-duration"), Duration.ofHours(6));
        return new RunSettings(new Schedule(cron, zone), months, concurrency, storeConcurrency, progressInterval, maxDuration);
    }
}
