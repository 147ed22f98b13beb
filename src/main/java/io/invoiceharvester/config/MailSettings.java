package io.invoiceharvester.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The run's summary mail (harvester.mail.when, .to, .from, .max-bytes, .smtp-username, .smtp-password,
 * .smtp-starttls, .send-timeout): when it is sent, to whom and from whom, its size limit, the
 * SMTP server's account, and how long one send may take as a whole. The summary route reads the server's host and port as {{harvester.mail.smtp-host}}
 * and {{harvester.mail.smtp-port}}, as the user set them.
 */
public record MailSettings(String when, List<String> to, String from, String smtpUsername, String smtpPassword, boolean starttls,
                           long maxBytes, Duration sendTimeout) {

    static MailSettings of(HarvesterConfig cfg, Map<String, String> env, Problems problems) {
        String when = problems.check(() -> cfg.getOneOf("harvester.mail.when", "always", "changes", "never"), "never");
        List<String> to = cfg.getList("harvester.mail.to");
        if (cfg.isSet("harvester.mail.smtp-host") && to.isEmpty() && !"never".equals(when)) {
            problems.add("harvester.mail.to: empty, but harvester.mail.smtp-host is set; name the summary's recipients");
        }
        problems.check(() -> cfg.getInt("harvester.mail.smtp-port", 1, 65535), 0);
        long maxBytes = problems.check(() -> cfg.getLong("harvester.mail.max-bytes", 16 * 1024), 0L);
        boolean starttls = problems.check(() -> cfg.getBoolean("harvester.mail.smtp-starttls"), true);
        String password = problems.check(() -> cfg.getSecret("harvester.mail.smtp-password", null, env), "");
        Duration sendTimeout = problems.check(() -> cfg.getPositiveDuration("harvester.mail.send-timeout"), Duration.ofMinutes(2));
        return new MailSettings(when, List.copyOf(to), cfg.get("harvester.mail.from"), cfg.get("harvester.mail.smtp-username"),
                password, starttls, maxBytes, sendTimeout);
    }

    @Override
    public String toString() {
        return "MailSettings[when=" + when + ", to=" + to + ", from=" + from + "]";
    }
}
