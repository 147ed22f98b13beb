package io.invoiceharvester.config;

import io.invoiceharvester.http.DisabledProvider;
import io.invoiceharvester.model.ConfigException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fastly's Billing API (harvester.fastly.enabled, .api-token, .base-url,
 * .month-to-date): the API token, the API's URL (the routes read it as
 * {{harvester.fastly.api-url}}) and whether the month-to-date estimate is read. Disabled, its calls fail at
 * once, named.
 */
public record FastlySettings(boolean enabled, String token, Path tokenFile, String apiUrl, boolean monthToDate) {

    static FastlySettings of(HarvesterConfig cfg, Map<String, String> env, Problems problems) {
        boolean enabled = problems.check(() -> cfg.getBoolean("harvester.fastly.enabled"), false);
        if (!enabled) {
            return new FastlySettings(false, "", null, DisabledProvider.BASE_URL, false);
        }
        return new FastlySettings(true, problems.check(() -> token(cfg, env), ""),
                cfg.isSet("harvester.fastly.api-token-file") ? cfg.getPath("harvester.fastly.api-token-file") : null,
                problems.check(() -> ApiUrl.check("harvester.fastly.base-url", cfg.get("harvester.fastly.base-url")), ""),
                problems.check(() -> cfg.getBoolean("harvester.fastly.month-to-date"), false));
    }

    @Override
    public String toString() {
        return "FastlySettings[enabled=" + enabled + ", apiUrl=" + apiUrl + ", monthToDate=" + monthToDate + "]";
    }

    private static String token(HarvesterConfig cfg, Map<String, String> env) {
        String token = cfg.getSecret("harvester.fastly.api-token", "FASTLY_API_TOKEN", env);
        if (token.isBlank()) {
            throw new ConfigException("harvester.fastly.api-token: empty; set FASTLY_API_TOKEN (or HARVESTER_FASTLY_API_TOKEN)"
                    + " or name a file in harvester.fastly.api-token-file");
        }
        return token;
    }
}
