package io.invoiceharvester.edgegrid;

import io.invoiceharvester.model.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one section of an .edgerc file with commons-configuration2's INI parser. */
public final class EdgercReader {

    private static final Logger LOG = LoggerFactory.getLogger(EdgercReader.class);
    private static final String KEY = "harvester.akamai.edgerc";

    private EdgercReader() {
    }

    public static EdgeGridCredentials read(Path file, String section) {
        if (!Files.exists(file)) {
            throw new ConfigException(KEY + ": " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(KEY + ": " + file + " is not a readable file");
        }
        warnIfShared(file);
        INIConfiguration ini = new INIConfiguration();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            ini.read(in);
        } catch (IOException | ConfigurationException e) {
            throw new ConfigException(KEY + ": " + file + " is not a valid .edgerc file (" + e.getMessage() + ")");
        }
        if (!ini.getSections().contains(section)) {
            throw new ConfigException("harvester.akamai.section: section [" + section + "] not found in " + file
                    + " (found: " + String.join(", ", ini.getSections().stream().filter(s -> s != null).toList()) + ")");
        }
        SubnodeConfiguration s = ini.getSection(section);
        String host = required(s, "host", file, section);
        if (host.contains("/") || host.contains(" ")) {
            throw new ConfigException(KEY + ": [" + section + "] host must be a bare host name, got '" + host + "'");
        }
        int maxBody = EdgeGridCredentials.DEFAULT_MAX_BODY;
        String maxBodyRaw = s.getString("max-body", s.getString("max_body", ""));
        if (!maxBodyRaw.isBlank()) {
            try {
                maxBody = Integer.parseInt(maxBodyRaw.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(KEY + ": [" + section + "] max-body '" + maxBodyRaw + "' is not a number");
            }
        }
        List<String> headers = new ArrayList<>();
        for (String h : s.getString("headers_to_sign", "").split(",")) {
            if (!h.isBlank()) {
                headers.add(h.trim());
            }
        }
        return new EdgeGridCredentials(host, required(s, "client_token", file, section),
                required(s, "client_secret", file, section), required(s, "access_token", file, section),
                maxBody, List.copyOf(headers));
    }

    private static String required(SubnodeConfiguration s, String key, Path file, String section) {
        // the INI reader splits values on ',' by default: read the raw string
        String value = s.getString(key, "").trim();
        if (value.isEmpty()) {
            throw new ConfigException(KEY + ": [" + section + "] in " + file + " has no " + key);
        }
        return value;
    }

    private static void warnIfShared(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("{} is readable by group or others; chmod 600 it", file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
