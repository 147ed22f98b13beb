package io.invoiceharvester.config;

import io.invoiceharvester.akamai.AkamaiRequests;
import io.invoiceharvester.delivery.DropUri;
import io.invoiceharvester.edgegrid.EdgeGridCredentials;
import io.invoiceharvester.edgegrid.EdgercReader;
import io.invoiceharvester.http.DisabledProvider;
import io.invoiceharvester.http.Outbound;
import io.invoiceharvester.ledger.CsvLayouts;
import io.invoiceharvester.ledger.LedgerExport;
import io.invoiceharvester.ledger.PublishTarget;
import io.invoiceharvester.model.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The harvester's settings, validated: every problem of a configuration is found at once, before the
 * state database is opened or any API is called, each named by its key. Secrets stay out of toString.
 */
public record HarvesterSettings(int monthsBack, Schedule schedule, int concurrency, int storeConcurrency, int requestsPerMinute,
                                long maxBytes, RetrySettings retry, Duration progressInterval, Duration connectTimeout,
                                Duration readTimeout, Duration requestDeadline, Duration runMaxDuration,
                                Duration lockLease, String dropEndpoint, Outbound outbound, String mailWhen, List<String> mailTo,
                                long mailMaxBytes, boolean starttls, String smtpPassword, Path output, List<String> ledgerFormats,
                                CsvLayouts csvLayouts, PublishTarget ledgerPublish,
                                List<String> providers, boolean akamai, EdgeGridCredentials credentials, String baseUrl,
                                List<String> switchKeys, Set<String> contentTypes, boolean fastly, String fastlyToken,
                                String fastlyBaseUrl, boolean monthToDate, String sftpPassword, List<Path> credentialFiles) {

    /** The content types an Akamai invoice's files come in. */
    public static final Set<String> CONTENT_TYPES = Set.of("application/pdf", "text/csv", "application/json");

    /** @throws ConfigException naming every key that is wrong */
    public static HarvesterSettings validate(HarvesterConfig cfg, Map<String, String> env) {
        Problems problems = new Problems();
        int monthsBack = problems.check(() -> cfg.getInt("harvester.schedule.months-back", 0, 120), 1);
        ZoneId zone = problems.check(() -> Schedule.zone(cfg), ZoneId.of("UTC"));
        String cron = problems.check(() -> Schedule.cron(cfg), "0 0 6 * * ?");
        int concurrency = problems.check(() -> cfg.getInt("harvester.concurrency", 1, 64), 4);
        int storeConcurrency = problems.check(() -> cfg.getInt("harvester.store-concurrency", 1, 64), 2);
        int requestsPerMinute = problems.check(() -> cfg.getInt("harvester.akamai.requests-per-minute", 1, 1_000_000), 500);
        long maxBytes = problems.check(() -> cfg.getLong("harvester.download.max-bytes", 1), 1L);
        RetrySettings retry = RetrySettings.of(cfg, problems);
        Duration progressInterval = problems.check(() -> duration(cfg, "harvester.progress.interval"), Duration.ofSeconds(30));
        Duration lockLease = problems.check(() -> duration(cfg, "harvester.run-lock.lease"), Duration.ofMinutes(5));
        problems.check(() -> cfg.getInt("harvester.management.port", 0, 65535), 0);
        Duration connectTimeout = Duration.ofMillis(problems.check(() -> cfg.getInt("harvester.http.connect-timeout", 1, 3_600_000), 1));
        Duration readTimeout = Duration.ofMillis(problems.check(() -> cfg.getInt("harvester.http.read-timeout", 1, 3_600_000), 1));
        Duration requestDeadline = problems.check(() -> positive(cfg, "harvester.http.request-deadline"), Duration.ofHours(1));
        Duration runMaxDuration = problems.check(() -> positive(cfg, "harvester.run.max-duration"), Duration.ofHours(6));
        // an SFTP drop's password is read once, here, and set on its endpoint apart from the URI (SftpPassword)
        String sftpPassword = cfg.get("harvester.drop.uri").startsWith("sftp:")
                ? problems.check(() -> cfg.getSecret("harvester.drop.sftp-password", null, env), "") : null;
        String dropEndpoint = problems.check(() -> dropUri(cfg, sftpPassword), "");
        Outbound outbound = problems.check(() -> outbound(cfg, env), Outbound.direct());
        String mailWhen = problems.check(() -> oneOf(cfg, "harvester.mail.when", "always", "changes", "never"), "never");
        List<String> mailTo = cfg.getList("harvester.mail.to");
        if (cfg.isSet("harvester.mail.smtp-host") && mailTo.isEmpty() && !"never".equals(mailWhen)) {
            problems.add("harvester.mail.to: empty, but harvester.mail.smtp-host is set; name the summary's recipients");
        }
        problems.check(() -> cfg.getInt("harvester.mail.smtp-port", 1, 65535), 0);
        long mailMaxBytes = problems.check(() -> cfg.getLong("harvester.mail.max-bytes", 16 * 1024), 0L);
        boolean starttls = problems.check(() -> cfg.getBoolean("harvester.mail.smtp-starttls"), true);
        String smtpPassword = problems.check(() -> cfg.getSecret("harvester.mail.smtp-password", null, env), "");
        Path output = problems.check(() -> outputDir(cfg), null);
        List<String> ledgerFormats = problems.check(() -> ledgerFormats(cfg), List.of("csv"));
        CsvLayouts csvLayouts = problems.check(() -> csvLayouts(cfg), null);
        PublishTarget ledgerPublish = problems.check(() -> ledgerPublish(cfg, env), null);

        List<String> providers = new ArrayList<>();
        boolean akamai = problems.check(() -> cfg.getBoolean("harvester.akamai.enabled"), false);
        boolean fastly = problems.check(() -> cfg.getBoolean("harvester.fastly.enabled"), false);
        EdgeGridCredentials credentials = null;
        String baseUrl = DisabledProvider.BASE_URL; // as for Fastly: a disabled provider's calls fail at once, named
        List<String> switchKeys = List.of();
        Set<String> contentTypes = Set.of();
        if (akamai) {
            providers.add("akamai");
            credentials = problems.check(() -> EdgercReader.read(cfg.getPath("harvester.akamai.edgerc"),
                    cfg.get("harvester.akamai.section")), null);
            EdgeGridCredentials c = credentials;
            baseUrl = problems.check(() -> akamaiBaseUrl(cfg, c), "");
            switchKeys = problems.check(() -> switchKeys(cfg), List.of());
            contentTypes = problems.check(() -> contentTypes(cfg), Set.of());
        }
        String fastlyToken = "";
        String fastlyBaseUrl = DisabledProvider.BASE_URL;
        boolean monthToDate = false;
        if (fastly) {
            providers.add("fastly");
            fastlyToken = problems.check(() -> fastlyToken(cfg, env), "");
            fastlyBaseUrl = problems.check(() -> apiBaseUrl("harvester.fastly.base-url", cfg.get("harvester.fastly.base-url")), "");
            monthToDate = problems.check(() -> cfg.getBoolean("harvester.fastly.month-to-date"), false);
        }
        List<Path> credentialFiles = new ArrayList<>();
        if (akamai) {
            credentialFiles.add(cfg.getPath("harvester.akamai.edgerc"));
        }
        if (fastly && cfg.isSet("harvester.fastly.api-token-file")) {
            credentialFiles.add(cfg.getPath("harvester.fastly.api-token-file"));
        }
        if (!akamai && !fastly) {
            problems.add("harvester.akamai.enabled / harvester.fastly.enabled: no provider is enabled");
        }
        problems.throwIfAny();
        return new HarvesterSettings(monthsBack, new Schedule(cron, zone), concurrency, storeConcurrency, requestsPerMinute, maxBytes, retry,
                progressInterval, connectTimeout, readTimeout, requestDeadline, runMaxDuration, lockLease, dropEndpoint, outbound, mailWhen, List.copyOf(mailTo),
                mailMaxBytes, starttls, smtpPassword, output, ledgerFormats, csvLayouts, ledgerPublish, List.copyOf(providers), akamai, credentials, baseUrl,
                switchKeys, contentTypes, fastly, fastlyToken, fastlyBaseUrl, monthToDate, sftpPassword, List.copyOf(credentialFiles));
    }

    @Override
    public String toString() {
        return "HarvesterSettings[providers=" + providers + ", concurrency=" + concurrency + ", output=" + output + "]";
    }

    /** Whether the drop is an SFTP server (its password, if any, is {@link #sftpPassword}). */
    public boolean sftpDrop() {
        return dropEndpoint.startsWith("sftp:");
    }

    /** The drop's local folder, or null for an SFTP drop. */
    public Path localDropFolder() {
        return sftpDrop() ? null : localDrop(dropEndpoint);
    }

    /** The folder of a file: drop URI (its options cut off). */
    public static Path localDrop(String fileUri) {
        String path = fileUri.substring("file:".length());
        int q = path.indexOf('?');
        return HarvesterConfig.expandHome(q < 0 ? path : path.substring(0, q));
    }

    private static List<String> ledgerFormats(HarvesterConfig cfg) {
        try {
            return LedgerExport.checkFormats(cfg.getList("harvester.ledger.formats"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("harvester.ledger.formats: " + e.getMessage());
        }
    }

    /** The bucket the exports are published to (harvester.ledger.publish-uri), or null when there is none. */
    private static PublishTarget ledgerPublish(HarvesterConfig cfg, Map<String, String> env) {
        if (!cfg.isSet("harvester.ledger.publish-uri")) {
            return null;
        }
        try {
            return PublishTarget.parse(cfg.get("harvester.ledger.publish-uri"), cfg.get("harvester.ledger.publish-prefix"),
                    cfg.isSet("harvester.ledger.publish-credentials-file") ? cfg.getPath("harvester.ledger.publish-credentials-file") : null,
                    env).withCredentials();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("harvester.ledger.publish-uri: " + e.getMessage());
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

    /** localhost, ::1 or 127.x.x.x. */
    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.equalsIgnoreCase("localhost") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
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

    private static String oneOf(HarvesterConfig cfg, String key, String... allowed) {
        String v = cfg.get(key);
        if (!List.of(allowed).contains(v)) {
            throw new ConfigException(key + ": '" + v + "' must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    private static Duration positive(HarvesterConfig cfg, String key) {
        Duration d = duration(cfg, key);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(key + ": '" + cfg.get(key) + "' must be longer than zero");
        }
        return d;
    }

    static Duration duration(HarvesterConfig cfg, String key) {
        try {
            return Duration.parse(cfg.get(key));
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + ": '" + cfg.get(key) + "' is not an ISO 8601 duration (e.g. PT10M)");
        }
    }

    /**
     * The drop endpoint: a file: URI as configured; an sftp: URI with strict host key checking against
     * the known_hosts file and the key file (a password is set apart, see {@link SftpPassword}).
     */
    private static String dropUri(HarvesterConfig cfg, String sftpPassword) {
        String uri = cfg.get("harvester.drop.uri");
        if (uri.startsWith("file:")) {
            return DropUri.file(uri);
        }
        if (!uri.startsWith("sftp:")) {
            throw new ConfigException("harvester.drop.uri: '" + uri + "' must be a file: or sftp: URI");
        }
        URI parsed = URI.create(uri.replaceFirst("^sftp:(//)?", "sftp://"));
        if (parsed.getHost() == null || parsed.getUserInfo() == null) {
            throw new ConfigException("harvester.drop.uri: '" + uri + "' must name user and host (sftp://user@host[:port]/folder)");
        }
        Path knownHosts = cfg.getPath("harvester.drop.sftp-known-hosts");
        if (!Files.isReadable(knownHosts)) {
            throw new ConfigException("harvester.drop.sftp-known-hosts: " + knownHosts + " cannot be read; the SFTP host key"
                    + " must be known (ssh-keyscan -p PORT HOST >> it, after checking the fingerprint)");
        }
        Path key = null;
        if (cfg.isSet("harvester.drop.sftp-private-key-file")) {
            key = cfg.getPath("harvester.drop.sftp-private-key-file");
            if (!Files.isReadable(key)) {
                throw new ConfigException("harvester.drop.sftp-private-key-file: " + key + " cannot be read");
            }
        }
        if (sftpPassword.isEmpty() && key == null) {
            throw new ConfigException("harvester.drop.uri: an sftp: drop needs harvester.drop.sftp-private-key-file or"
                    + " harvester.drop.sftp-password (environment) / harvester.drop.sftp-password-file");
        }
        return DropUri.sftp(uri, knownHosts, key, cfg.get("harvester.http.connect-timeout"), cfg.get("harvester.http.read-timeout"));
    }

    private static Path outputDir(HarvesterConfig cfg) {
        Path dir = cfg.getPath("harvester.output.dir");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("harvester.output.dir: " + dir + " cannot be created (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException("harvester.output.dir: " + dir + " is not writable");
        }
        return dir;
    }

    private static String akamaiBaseUrl(HarvesterConfig cfg, EdgeGridCredentials credentials) {
        return apiBaseUrl("harvester.akamai.base-url", cfg.isSet("harvester.akamai.base-url") ? cfg.get("harvester.akamai.base-url")
                : credentials == null ? "" : "https://" + credentials.host());
    }

    private static String fastlyToken(HarvesterConfig cfg, Map<String, String> env) {
        String token = cfg.getSecret("harvester.fastly.api-token", "FASTLY_API_TOKEN", env);
        if (token.isBlank()) {
            throw new ConfigException("harvester.fastly.api-token: empty; set FASTLY_API_TOKEN (or HARVESTER_FASTLY_API_TOKEN)"
                    + " or name a file in harvester.fastly.api-token-file");
        }
        return token;
    }

    /** http(s)://host[:port] with no path: credentials are bound to exactly this host. */
    private static String apiBaseUrl(String key, String value) {
        String url = value;
        if (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI u = URI.create(url);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null
                    || (u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null) {
                throw new IllegalArgumentException();
            }
            // credentials go in clear over http: only to this machine (the sandbox, a test stub)
            if ("http".equals(u.getScheme()) && !isLoopback(u.getHost())) {
                throw new ConfigException(key + ": '" + url + "' is http:// to another host; credentials would travel in"
                        + " clear: use https://");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": '" + url + "' must be http(s)://host[:port] with no path");
        }
        return url;
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
