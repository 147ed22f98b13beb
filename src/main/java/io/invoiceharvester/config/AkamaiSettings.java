package io.invoiceharvester.config;

import io.invoiceharvester.akamai.AkamaiRequests;
import io.invoiceharvester.edgegrid.EdgeGridCredentials;
import io.invoiceharvester.edgegrid.EdgercReader;
import io.invoiceharvester.http.DisabledProvider;
import io.invoiceharvester.model.ConfigException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Akamai's Invoicing API (harvester.akamai.enabled, .edgerc, .section,
 * .account-switch-keys, .content-types, .requests-per-minute): the EdgeGrid credentials, the API's URL (harvester.akamai.base-url,
 * else https://{host} of the credentials; the routes read it as {{harvester.akamai.api-url}}), the accounts, the
 * content types fetched and the request rate per account. Disabled, its calls fail at once, named.
 */
public record AkamaiSettings(boolean enabled, Path edgerc, EdgeGridCredentials credentials, String apiUrl, List<String> switchKeys,
                             Set<String> contentTypes, int requestsPerMinute) {

    /** The content types an Akamai invoice's files come in. */
    public static final Set<String> CONTENT_TYPES = Set.of("application/pdf", "text/csv", "application/json");

    static AkamaiSettings of(HarvesterConfig cfg, Problems problems) {
        boolean enabled = problems.check(() -> cfg.getBoolean("harvester.akamai.enabled"), false);
        int requestsPerMinute = problems.check(() -> cfg.getInt("harvester.akamai.requests-per-minute", 1, 1_000_000), 500);
        if (!enabled) {
            return new AkamaiSettings(false, null, null, DisabledProvider.BASE_URL, List.of(), Set.of(), requestsPerMinute);
        }
        Path edgerc = cfg.getPath("harvester.akamai.edgerc");
        EdgeGridCredentials credentials = problems.check(() -> EdgercReader.read(edgerc, cfg.get("harvester.akamai.section")), null);
        String apiUrl = problems.check(() -> ApiUrl.check("harvester.akamai.base-url", cfg.isSet("harvester.akamai.base-url")
                ? cfg.get("harvester.akamai.base-url") : credentials == null ? "" : "https://" + credentials.host()), "");
        return new AkamaiSettings(true, edgerc, credentials, apiUrl, problems.check(() -> switchKeys(cfg), List.of()),
                problems.check(() -> contentTypes(cfg), Set.of()), requestsPerMinute);
    }

    private static List<String> switchKeys(HarvesterConfig cfg) {
        List<String> keys = cfg.getList("harvester.akamai.account-switch-keys");
        for (String k : keys) {
            if (!AkamaiRequests.isValidSwitchKey(k)) {
                throw new ConfigException("harvester.akamai.account-switch-keys: '" + k + "' is not an account switch key");
            }
        }
        return List.copyOf(new LinkedHashSet<>(keys));
    }

    private static Set<String> contentTypes(HarvesterConfig cfg) {
        Set<String> types = new LinkedHashSet<>(cfg.getList("harvester.akamai.content-types"));
        for (String t : types) {
            if (!CONTENT_TYPES.contains(t)) {
                throw new ConfigException("harvester.akamai.content-types: '" + t + "' is not one of " + CONTENT_TYPES);
            }
        }
        if (types.isEmpty()) {
            throw new ConfigException("harvester.akamai.content-types: empty; name at least one of " + CONTENT_TYPES);
        }
        return types;
    }
}
