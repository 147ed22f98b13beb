package io.invoiceharvester.config;

import io.invoiceharvester.model.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The layered configuration: packaged config/application.properties, then --config FILE, then the
 * environment, then -D system properties. Secrets may come only from the environment or their -file key: a
 * --config file or a -D setting that holds one is refused, naming where to put it.
 */
public final class HarvesterConfig {

    public static final String PACKAGED = "config/application.properties";

    /** Keys that hold secrets: never accepted from -D (visible in the process list). */
    static final Set<String> SECRET_KEYS = Set.of(
            "harvester.fastly.api-token", "harvester.state.password", "harvester.mail.smtp-password",
            "harvester.drop.sftp-password", "harvester.http.truststore-password");

    private final Map<String, String> values;

    private HarvesterConfig(Map<String, String> values) {
        this.values = values;
    }

    public static HarvesterConfig load(Path configFile, Map<String, String> env, Properties system) {
        Map<String, String> merged = new LinkedHashMap<>();
        Properties packaged = new Properties();
        try (InputStream in = HarvesterConfig.class.getClassLoader().getResourceAsStream(PACKAGED)) {
            if (in == null) {
                throw new ConfigException("packaged " + PACKAGED + " is missing from the class path");
            }
            packaged.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("cannot read packaged " + PACKAGED + ": " + e.getMessage());
        }
        packaged.stringPropertyNames().forEach(k -> merged.put(k, packaged.getProperty(k).trim()));

        if (configFile != null) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                file.load(in);
            } catch (IOException e) {
                throw new ConfigException("--config " + configFile + ": cannot be read (" + e.getMessage() + ")");
            }
            for (String key : file.stringPropertyNames()) {
                if (SECRET_KEYS.contains(key) && !file.getProperty(key).isBlank()) {
                    // a configuration file is read by whoever configures the service, and often by every user
                    throw new ConfigException(key + ": secrets are not accepted in a --config file (" + configFile + "); set "
                            + envName(key) + " or " + key + "-file");
                }
                merged.put(key, file.getProperty(key).trim());
            }
        }

        for (String key : List.copyOf(merged.keySet())) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                merged.put(key, fromEnv.trim());
            }
        }

        for (String key : system.stringPropertyNames()) {
            if (!key.startsWith("harvester.") && !key.startsWith("camel.")) {
                continue;
            }
            if (SECRET_KEYS.contains(key)) {
                throw new ConfigException(key + ": secrets are not accepted as -D (visible to every user of the machine);"
                        + " set " + envName(key) + " or " + key + "-file");
            }
            merged.put(key, system.getProperty(key).trim());
        }
        return new HarvesterConfig(merged);
    }

    /** harvester.akamai.edgerc becomes HARVESTER_AKAMAI_EDGERC. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key) {
        String v = values.get(key);
        return v == null ? "" : v;
    }

    /** Every key set, at any layer. */
    public Set<String> keys() {
        return Set.copyOf(values.keySet());
    }

    public boolean isSet(String key) {
        return !get(key).isEmpty();
    }

    public HarvesterConfig with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new HarvesterConfig(copy);
    }

    public int getInt(String key, int min, int max) {
        String raw = get(key);
        try {
            int v = Integer.parseInt(raw);
            if (v < min || v > max) {
                throw new ConfigException(key + ": " + v + " is out of range " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + raw + "' is not a whole number");
        }
    }

    public long getLong(String key, long min) {
        String raw = get(key);
        try {
            long v = Long.parseLong(raw);
            if (v < min) {
                throw new ConfigException(key + ": " + v + " must be at least " + min);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + raw + "' is not a whole number");
        }
    }

    public double getDouble(String key, double min, double max) {
        String raw = get(key);
        try {
            double v = Double.parseDouble(raw);
            if (!(v >= min && v <= max)) {
                throw new ConfigException(key + ": " + raw + " is out of range " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + raw + "' is not a number");
        }
    }

    /** An ISO 8601 duration (e.g. PT10M). */
    public Duration getDuration(String key) {
        try {
            return Duration.parse(get(key));
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + ": '" + get(key) + "' is not an ISO 8601 duration (e.g. PT10M)");
        }
    }

    /** An ISO 8601 duration longer than zero. */
    public Duration getPositiveDuration(String key) {
        Duration d = getDuration(key);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(key + ": '" + get(key) + "' must be longer than zero");
        }
        return d;
    }

    /** One of the allowed words. */
    public String getOneOf(String key, String... allowed) {
        String v = get(key);
        if (!List.of(allowed).contains(v)) {
            throw new ConfigException(key + ": '" + v + "' must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    public boolean getBoolean(String key) {
        String raw = get(key).toLowerCase(Locale.ROOT);
        if (!raw.equals("true") && !raw.equals("false")) {
            throw new ConfigException(key + ": '" + get(key) + "' must be true or false");
        }
        return Boolean.parseBoolean(raw);
    }

    public List<String> getList(String key) {
        List<String> out = new ArrayList<>();
        for (String part : get(key).split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /** A path key with '~' expanded to the user's home. */
    public Path getPath(String key) {
        return expandHome(get(key));
    }

    public static Path expandHome(String raw) {
        if (raw.equals("~") || raw.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + raw.substring(1));
        }
        return Path.of(raw);
    }

    /** A secret: the key's value (environment or --config), else its -file key's first line. */
    public String getSecret(String key, String fallbackEnv, Map<String, String> env) {
        if (isSet(key)) {
            return get(key);
        }
        String fileKey = key + "-file";
        if (isSet(fileKey)) {
            Path file = getPath(fileKey);
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                String first = lines.isEmpty() ? "" : lines.get(0).trim();
                if (first.isEmpty()) {
                    throw new ConfigException(fileKey + ": " + file + " is empty");
                }
                return first;
            } catch (IOException e) {
                throw new ConfigException(fileKey + ": " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        return fallbackEnv == null ? "" : env.getOrDefault(fallbackEnv, "").trim();
    }

    /** Everything, for Camel's property placeholders; secrets are left out (beans get them directly). */
    public Properties toCamelProperties() {
        Properties p = new Properties();
        values.forEach((k, v) -> {
            if (!SECRET_KEYS.contains(k)) {
                p.setProperty(k, v);
            }
        });
        return p;
    }
}
