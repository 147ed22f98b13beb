package io.invoiceharvester.config;

import io.invoiceharvester.http.Outbound;
import io.invoiceharvester.model.ConfigException;
import java.net.URI;

/** A provider API's URL: http(s)://host[:port] with no path, for credentials are bound to exactly this host. */
final class ApiUrl {

    private ApiUrl() {
    }

    /** @return the URL without a trailing '/'; @throws ConfigException naming the key */
    static String check(String key, String value) {
        String url = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        try {
            URI u = URI.create(url);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null
                    || (u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null) {
                throw new IllegalArgumentException();
            }
            // credentials go in clear over http: only to this machine (the sandbox, a test stub)
            if (!Outbound.inClearOnlyToThisMachine(u)) {
                throw new ConfigException(key + ": '" + url + "' is http:// to another host; credentials would travel in"
                        + " clear: use https://");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": '" + url + "' must be http(s)://host[:port] with no path");
        }
        return url;
    }

}
