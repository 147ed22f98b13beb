package io.invoiceharvester.delivery;

import io.invoiceharvester.model.ConfigException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.util.URISupport;

/**
 * The drop's endpoint, built from harvester.drop.uri and the options the harvester owns. Options are put
 * into one map, never appended: Camel turns a repeated option into a list ("[yes, yes]"), which JSch reads
 * as "not yes" and so accepts any host key. An owned option in the operator's URI is refused, naming the
 * harvester key to use instead, and so is a password in the URI (Jolokia's route dump would show it).
 */
public final class DropUri {

    /** Options the harvester sets itself (lower case: Camel matches option names case-insensitively). */
    private static final Map<String, String> OWNED = Map.of(
            "knownhostsfile", "harvester.drop.sftp-known-hosts",
            "stricthostkeychecking", "harvester.drop.sftp-known-hosts (checking is always strict)",
            "useuserknownhostsfile", "harvester.drop.sftp-known-hosts",
            "password", "harvester.drop.sftp-password-file (or the environment variable HARVESTER_DROP_SFTP_PASSWORD)",
            "privatekeyfile", "harvester.drop.sftp-private-key-file",
            "tempprefix", "none: the harvester always writes under a temporary name and renames");

    private DropUri() {
    }

    /** A file: drop: the operator's URI, checked. */
    public static String file(String uri) {
        options(uri);
        return uri;
    }

    /** An sftp: drop: the operator's URI with strict host key checking against the known hosts file. */
    public static String sftp(String uri, Path knownHosts, Path privateKey, String connectTimeout, String readTimeout) {
        Map<String, Object> options = options(uri);
        String authority = base(uri).replaceFirst("^sftp:(//)?", "").replaceFirst("/.*$", "");
        String userInfo = authority.contains("@") ? authority.substring(0, authority.lastIndexOf('@')) : "";
        if (userInfo.contains(":")) {
            throw new ConfigException("harvester.drop.uri: a password in the URI is readable through the management port;"
                    + " use " + OWNED.get("password"));
        }
        options.put("strictHostKeyChecking", "yes");
        options.put("useUserKnownHostsFile", "false");
        options.put("knownHostsFile", knownHosts.toAbsolutePath().toString());
        if (privateKey != null) {
            options.put("privateKeyFile", privateKey.toAbsolutePath().toString());
        }
        // the operator's own SFTP timeouts win over the HTTP ones
        options.putIfAbsent("connectTimeout", connectTimeout);
        options.putIfAbsent("timeout", readTimeout);
        try {
            return base(uri) + "?" + URISupport.createQueryString(options);
        } catch (RuntimeException e) {
            throw new ConfigException("harvester.drop.uri: '" + uri + "' cannot be completed (" + e.getMessage() + ")");
        }
    }

    private static String base(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    private static Map<String, Object> options(String uri) {
        int q = uri.indexOf('?');
        Map<String, Object> options;
        try {
            options = q < 0 ? new LinkedHashMap<>() : new LinkedHashMap<>(URISupport.parseQuery(uri.substring(q + 1)));
        } catch (URISyntaxException e) {
            throw new ConfigException("harvester.drop.uri: its options cannot be read (" + e.getMessage() + ")");
        }
        for (String option : options.keySet()) {
            String instead = OWNED.get(option.toLowerCase(Locale.ROOT));
            if (instead != null) {
                throw new ConfigException("harvester.drop.uri: the option '" + option + "' is set by the harvester; remove it"
                        + " and use " + instead);
            }
        }
        return options;
    }
}
