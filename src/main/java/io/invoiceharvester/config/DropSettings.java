package io.invoiceharvester.config;

import io.invoiceharvester.delivery.DropUri;
import io.invoiceharvester.model.ConfigException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where PDFs are dropped: the endpoint derived from harvester.drop.uri (an SFTP drop with strict host-key
 * checking against harvester.drop.sftp-known-hosts, see {@link DropUri}) and an SFTP drop's password, which
 * is set on the endpoint apart from its URI (SftpPassword). The routes read the endpoint as
 * {{harvester.drop.endpoint}}.
 */
public record DropSettings(String endpoint, String sftpPassword) {

    static DropSettings of(HarvesterConfig cfg, Map<String, String> env, HttpSettings http, Problems problems) {
        String password = cfg.get("harvester.drop.uri").startsWith("sftp:")
                ? problems.check(() -> cfg.getSecret("harvester.drop.sftp-password", null, env), "") : null;
        return new DropSettings(problems.check(() -> endpoint(cfg, password, http), ""), password);
    }

    /** Whether the drop is an SFTP server (its password, if any, is {@link #sftpPassword}). */
    public boolean sftp() {
        return endpoint.startsWith("sftp:");
    }

    /** The drop's local folder, or null for an SFTP drop. */
    public Path localFolder() {
        if (sftp()) {
            return null;
        }
        String path = endpoint.substring("file:".length());
        int q = path.indexOf('?');
        return HarvesterConfig.expandHome(q < 0 ? path : path.substring(0, q));
    }

    @Override
    public String toString() {
        return "DropSettings[endpoint=" + endpoint + "]";
    }

    private static String endpoint(HarvesterConfig cfg, String sftpPassword, HttpSettings http) {
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
        return DropUri.sftp(uri, knownHosts, key, Long.toString(http.connectTimeout().toMillis()),
                Long.toString(http.readTimeout().toMillis()));
    }
}
