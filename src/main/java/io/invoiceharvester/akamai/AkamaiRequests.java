package io.invoiceharvester.akamai;

import io.invoiceharvester.http.ProviderRequest;
import io.invoiceharvester.run.FileTask;
import io.invoiceharvester.run.ListTask;
import io.invoiceharvester.run.RunItem;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.camel.ExchangeProperty;

/**
 * Builds the Invoicing API v4 request targets. Query values are sent raw (a switch key's ':' is not
 * escaped) because EdgeGrid signs the query exactly as it goes on the wire.
 */
public class AkamaiRequests {

    static final Pattern SWITCH_KEY = Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final Pattern SOURCE_TYPE = Pattern.compile("[A-Z_]+");

    private final URI base;

    public AkamaiRequests(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    }

    public static boolean isValidSwitchKey(String key) {
        return SWITCH_KEY.matcher(key).matches();
    }

    /** The list call of a listing. */
    public ProviderRequest list(@ExchangeProperty(RunItem.ITEM) ListTask task) {
        return ProviderRequest.json(base + "/invoicing-api/v4/invoices?" + listQuery(task));
    }

    /** A file's download, asking for its own content type. */
    public ProviderRequest download(@ExchangeProperty(RunItem.ITEM) FileTask file) {
        return new ProviderRequest(downloadUri(file), file.getContentType());
    }

    /** The list call's query: month, and the switch key when the listing is for another account. */
    public String listQuery(ListTask task) {
        return "month=" + task.getMonth() + switchKey(task.getAccountSwitchKey());
    }

    /** The download URL: the listed fileLink, on the API host only, with sourceType and switch key added. */
    String downloadUri(FileTask file) {
        String link = file.getFileLink();
        URI target;
        try {
            target = base.resolve(URI.create(link));
        } catch (IllegalArgumentException e) {
            throw new RefusedLinkException("fileLink is not a valid URI: " + clip(link));
        }
        if (!sameOrigin(target)) {
            throw new RefusedLinkException("fileLink points to another host (" + target.getScheme() + "://"
                    + target.getAuthority() + "), not the configured API host: refused");
        }
        if (!SOURCE_TYPE.matcher(file.getSourceType()).matches()) {
            throw new RefusedLinkException("unexpected sourceType '" + clip(file.getSourceType()) + "'");
        }
        String query = "sourceType=" + file.getSourceType() + switchKey(file.getListing().getAccountSwitchKey());
        String existing = target.getRawQuery();
        String path = target.getRawPath();
        return base.getScheme() + "://" + base.getRawAuthority() + path + "?" + (existing == null ? "" : existing + "&") + query;
    }

    private boolean sameOrigin(URI target) {
        return target.getScheme() != null && target.getRawAuthority() != null
                && target.getScheme().toLowerCase(Locale.ROOT).equals(base.getScheme().toLowerCase(Locale.ROOT))
                && target.getRawAuthority().toLowerCase(Locale.ROOT).equals(base.getRawAuthority().toLowerCase(Locale.ROOT))
                && target.getRawUserInfo() == null;
    }

    private static String switchKey(String key) {
        return key == null ? "" : "&accountSwitchKey=" + key;
    }

    private static String clip(String s) {
        String v = String.valueOf(s).replaceAll("\\p{Cntrl}", "?");
        return v.length() > 120 ? v.substring(0, 117) + "..." : v;
    }
}
