package io.invoiceharvester.akamai;

import io.invoiceharvester.delivery.FileNames;
import io.invoiceharvester.http.ProviderRequest;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the Invoicing API v4 request targets. Query values are sent raw (a switch key's ':' is not
 * escaped) because EdgeGrid signs the query exactly as it goes on the wire.
 */
public class AkamaiRequests {

    static final Pattern SWITCH_KEY = Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final Pattern SOURCE_TYPE = Pattern.compile("[A-Z_]+");
    private static final Pattern DOWNLOAD_PATH = Pattern.compile(".*/contracts/([^/]+)/invoices/([^/]+)/download");

    private final URI base;

    public AkamaiRequests(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    }

    public static boolean isValidSwitchKey(String key) {
        return SWITCH_KEY.matcher(key).matches();
    }

    /** The list call of a listing. */
    public ProviderRequest list(Listing listing) {
        return ProviderRequest.json(base + "/invoicing-api/v4/invoices?" + listQuery(listing));
    }

    /** A file's download, asking for its own content type. */
    public ProviderRequest download(ListedFile file) {
        return new ProviderRequest(downloadUri(file), file.getContentType());
    }

    /** The list call's query: month, and the switch key when the listing is for another account. */
    public String listQuery(Listing listing) {
        return "month=" + listing.getMonth() + switchKey(listing.getAccountSwitchKey());
    }

    /**
     * The download URL: the listed fileLink, on the API host only, naming the entry's own contract and
     * invoice as the documented path does, with sourceType and the switch key added where it lacks them.
     */
    String downloadUri(ListedFile file) {
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
        namesItsEntry(target, file);
        if (!SOURCE_TYPE.matcher(file.getSourceType()).matches()) {
            throw new RefusedLinkException("unexpected sourceType '" + clip(file.getSourceType()) + "'");
        }
        Map<String, String> query = new LinkedHashMap<>();
        String existing = target.getRawQuery();
        if (existing != null && !existing.isEmpty()) {
            for (String pair : existing.split("&")) {
                query.putIfAbsent(pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair, pair);
            }
        }
        String switchKey = file.getListing().getAccountSwitchKey();
        String linked = query.get("accountSwitchKey");
        if (linked != null && !linked.equals("accountSwitchKey=" + switchKey)) {
            throw new RefusedLinkException("fileLink names another account (" + clip(linked) + ") than its listing's: refused");
        }
        query.putIfAbsent("sourceType", "sourceType=" + file.getSourceType());
        if (switchKey != null) {
            query.putIfAbsent("accountSwitchKey", "accountSwitchKey=" + switchKey);
        }
        return base.getScheme() + "://" + base.getRawAuthority() + target.getRawPath() + "?" + String.join("&", query.values());
    }

    /** The documented download path names the invoice: a link to another contract's or invoice's is refused. */
    private static void namesItsEntry(URI target, ListedFile file) {
        Matcher m = DOWNLOAD_PATH.matcher(target.getRawPath() == null ? "" : target.getRawPath());
        if (!m.matches()) {
            throw new RefusedLinkException("fileLink '" + clip(target.getRawPath()) + "' is not the documented download path"
                    + " .../contracts/{contractId}/invoices/{invoiceId}/download of its list entry (contract " + file.getContractId()
                    + ", invoice " + file.getInvoiceId() + "): refused");
        }
        String contract = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        String invoice = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        if (!FileNames.sanitize(contract).equals(file.getContractId()) || !invoice.equals(file.getInvoiceId())) {
            throw new RefusedLinkException("fileLink names contract " + clip(contract) + ", invoice " + clip(invoice)
                    + "; its list entry is contract " + file.getContractId() + ", invoice " + file.getInvoiceId()
                    + ": refused, so that one invoice's file is never stored as another's");
        }
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
