package io.invoiceharvester.config;

import io.invoiceharvester.ledger.export.LedgerExport;
import io.invoiceharvester.ledger.publish.PublishTarget;
import io.invoiceharvester.ledger.read.CsvLayouts;
import io.invoiceharvester.model.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The FOCUS ledger (harvester.ledger.formats, .csv-layouts, .publish-uri, .publish-prefix,
 * .publish-credentials-file, .publish-timeout, .publish-attempt-timeout): its export formats, the CSV layouts
 * invoice data is read with, the bucket the exports are published to (null when there is none), and how long a
 * call to it may take.
 */
public record LedgerSettings(List<String> formats, CsvLayouts csvLayouts, PublishTarget publish, Duration publishTimeout,
                             Duration publishAttemptTimeout) {

    static LedgerSettings of(HarvesterConfig cfg, Map<String, String> env, Problems problems) {
        return new LedgerSettings(problems.check(() -> formats(cfg), List.of("csv")), problems.check(() -> csvLayouts(cfg), null),
                problems.check(() -> publish(cfg, env), null),
                problems.check(() -> cfg.getPositiveDuration("harvester.ledger.publish-timeout"), Duration.ofMinutes(5)),
                problems.check(() -> cfg.getPositiveDuration("harvester.ledger.publish-attempt-timeout"), Duration.ofMinutes(1)));
    }

    /**
     * The bucket as configured, credentials not read (for `status`, which only names it), or null.
     *
     * @throws ConfigException when harvester.ledger.publish-uri is not a bucket URI
     */
    public static PublishTarget publishTarget(HarvesterConfig cfg, Map<String, String> env) {
        if (!cfg.isSet("harvester.ledger.publish-uri")) {
            return null;
        }
        try {
            return PublishTarget.parse(cfg.get("harvester.ledger.publish-uri"), cfg.get("harvester.ledger.publish-prefix"),
                    cfg.isSet("harvester.ledger.publish-credentials-file") ? cfg.getPath("harvester.ledger.publish-credentials-file") : null,
                    env);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("harvester.ledger.publish-uri: " + e.getMessage());
        }
    }

    private static PublishTarget publish(HarvesterConfig cfg, Map<String, String> env) {
        PublishTarget target = publishTarget(cfg, env);
        try {
            return target == null ? null : target.withCredentials();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("harvester.ledger.publish-uri: " + e.getMessage());
        }
    }

    private static List<String> formats(HarvesterConfig cfg) {
        try {
            return LedgerExport.checkFormats(cfg.getList("harvester.ledger.formats"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("harvester.ledger.formats: " + e.getMessage());
        }
    }

    /** The packaged CSV layouts and the user's (harvester.ledger.csv-layouts), every problem named. */
    private static CsvLayouts csvLayouts(HarvesterConfig cfg) {
        try {
            return CsvLayouts.load(cfg.isSet("harvester.ledger.csv-layouts") ? cfg.getPath("harvester.ledger.csv-layouts") : null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("harvester.ledger.csv-layouts: " + e.getMessage().replace(System.lineSeparator(),
                    System.lineSeparator() + "harvester.ledger.csv-layouts: "));
        }
    }
}
