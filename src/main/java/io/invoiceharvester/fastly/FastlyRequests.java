package io.invoiceharvester.fastly;

import io.invoiceharvester.http.ProviderRequest;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;

/** Builds the Fastly Billing v3 request targets. */
public class FastlyRequests {

    /** Fastly's maximum page size. */
    static final int PAGE_SIZE = 200;

    private final String baseUrl;

    public FastlyRequests(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** A page of a listing. */
    public ProviderRequest list(Listing listing, FastlyPages pages) {
        return ProviderRequest.json(baseUrl + "/billing/v3/invoices?" + listQuery(listing, pages.cursor(), PAGE_SIZE));
    }

    /** The first entry of a listing: `check`'s probe of the key. */
    public ProviderRequest probe(Listing listing) {
        return ProviderRequest.json(baseUrl + "/billing/v3/invoices?" + listQuery(listing, null, 1));
    }

    /** One invoice by its id. */
    public ProviderRequest invoice(ListedFile invoice) {
        return ProviderRequest.json(baseUrl + "/billing/v3/invoices/" + URLEncoder.encode(invoice.getInvoiceId(), StandardCharsets.UTF_8));
    }

    /** The current month's estimate. */
    public ProviderRequest monthToDate() {
        return ProviderRequest.json(baseUrl + "/billing/v3/invoices/month-to-date");
    }

    /**
     * One month's invoices, a page at a time; the opaque cursor is URL-encoded. billing_end_date filters on
     * the invoice's billing end, a date-time: a server may compare it with that day's midnight. So the
     * window reaches from the day before the month to the first day of the month after next, which holds
     * the month's invoices under either reading and in any offset; {@link FastlyInvoices} keeps those whose
     * billing starts in the month.
     */
    private static String listQuery(Listing listing, String cursor, int limit) {
        YearMonth month = YearMonth.parse(listing.getMonth());
        String query = "billing_start_date=" + month.atDay(1).minusDays(1) + "&billing_end_date=" + month.plusMonths(2).atDay(1)
                + "&limit=" + limit;
        return cursor == null ? query : query + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
    }

}
