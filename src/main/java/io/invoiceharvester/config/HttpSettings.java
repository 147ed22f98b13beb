package io.invoiceharvester.config;

import io.invoiceharvester.http.Outbound;
import io.invoiceharvester.model.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The provider calls' limits and way out: harvester.http.connect-timeout, .read-timeout,
 * .request-deadline, .proxy, .truststore and .truststore-password, and the
 * largest body a download may have (harvester.download.max-bytes).
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout, Duration requestDeadline, Outbound outbound,
                           long maxDownloadBytes) {

    static HttpSettings of(HarvesterConfig cfg, Map<String, String> env, Problems problems) {
        Duration connect = Duration.ofMillis(problems.check(() -> cfg.getInt("harvester.http.connect-timeout", 1, 3_600_000), 1));
        Duration read = Duration.ofMillis(problems.check(() -> cfg.getInt("harvester.http.read-timeout", 1, 3_600_000), 1));
        Duration deadline = problems.check(() -> cfg.getPositiveDuration("harvester.http.request-deadline"), Duration.ofHours(1));
        Outbound outbound = problems.check(() -> outbound(cfg, env), Outbound.direct());
        long maxBytes = problems.check(() -> cfg.getLong("harvester.download.max-bytes", 1), 1L);
        return new HttpSettings(connect, read, deadline, outbound, maxBytes);
    }

    private static Outbound outbound(HarvesterConfig cfg, Map<String, String> env) {
        String password = cfg.getSecret("harvester.http.truststore-password", null, env);
        Path truststore = cfg.isSet("harvester.http.truststore") ? cfg.getPath("harvester.http.truststore") : null;
        try {
            return Outbound.of(cfg.get("harvester.http.proxy"), truststore, password);
        } catch (IllegalArgumentException e) {
            throw new ConfigException((truststore != null && e.getMessage().startsWith(truststore.toString())
                    ? "harvester.http.truststore: " : "harvester.http.proxy: ") + e.getMessage());
        }
    }
}
