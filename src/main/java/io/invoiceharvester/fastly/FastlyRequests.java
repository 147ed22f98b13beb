package io.invoiceharvester.fastly;

import io.invoiceharvester.http.ProviderRequest;
import io.invoiceharvester.run.FileTask;
import io.invoiceharvester.run.ListTask;
import io.invoiceharvester.run.RunItem;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import org.apache.camel.ExchangeProperty;

/** Builds the Fastly Billing v3 request targets. */
public class FastlyRequests {

    /** Fastly's maximum page size. */
    static final int PAGE_SIZE = 200;

    private final String baseUrl;

    public FastlyRequests(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** A page of a listing. */
    public ProviderRequest list(@ExchangeProperty(RunItem.ITEM) ListTask listing, @ExchangeProperty("fastlyPages") FastlyPages pages) {
        return ProviderRequest.json(baseUrl + "/billing/v3/invoices?" + listQuery(listing, pages));
    }

    /** One invoice by its id. */
    public ProviderRequest invoice(@ExchangeProperty(RunItem.ITEM) FileTask invoice) {
        return ProviderRequest.json(baseUrl + "/billing/v3/invoices/" + URLEncoder.encode(invoice.getInvoiceId(), StandardCharsets.UTF_8));
    }

    /** The current month's estimate. */
    public ProviderRequest monthToDate() {
        return ProviderRequest.json(baseUrl + "/billing/v3/invoices/month-to-date");
    }

    /** One month's invoices, a page at a time; the opaque cursor is URL-encoded. */
    public String listQuery(ListTask listing, FastlyPages pages) {
        YearMonth month = YearMonth.parse(listing.getMonth());
        String query = "billing_start_date=" + month.atDay(1) + "&billing_end_date=" + month.atEndOfMonth()
                + "&limit=" + PAGE_SIZE;
        return pages.cursor() == null ? query : query + "&cursor=" + URLEncoder.encode(pages.cursor(), StandardCharsets.UTF_8);
    }

}
