package io.invoiceharvester.beans;

import io.invoiceharvester.akamai.AkamaiRequests;
import io.invoiceharvester.akamai.InvoiceListParser;
import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.edgegrid.EdgeGridInterceptor;
import io.invoiceharvester.edgegrid.RequestSigner;
import io.invoiceharvester.http.ApiClientConfigurer;
import io.invoiceharvester.http.DisabledProvider;
import io.invoiceharvester.http.RequestPacer;
import io.invoiceharvester.http.RequestSlots;
import io.invoiceharvester.state.FailureReport;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;

/** Akamai's Invoicing API v4: its requests, their EdgeGrid signature and pacing, its list answers. */
public class AkamaiBeans implements CamelConfiguration {

    /** The list and download requests of each account (switch key) and month. */
    @BindToRegistry
    public AkamaiRequests akamaiRequests(HarvesterSettings settings) {
        return new AkamaiRequests(settings.akamai().apiUrl());
    }

    /**
     * The HTTP client of Akamai calls: each attempt signed afresh, sent only to the configured host, paced
     * per account at harvester.akamai.requests-per-minute, within the shared request slots.
     */
    @BindToRegistry
    public ApiClientConfigurer akamaiSigning(HarvesterSettings settings, RequestSlots slots, HttpClientConnectionManager connections) {
        return new ApiClientConfigurer(settings.akamai().enabled()
                ? new EdgeGridInterceptor(new RequestSigner(settings.akamai().credentials()), settings.akamai().apiUrl())
                : new DisabledProvider("harvester.akamai.enabled"),
                settings.http().outbound(), connections, slots.gate(new RequestPacer(settings.akamai().requestsPerMinute()),
                        request -> EdgeGridInterceptor.account(request.getRequestUri())));
    }

    /** A list answer: every file of every invoice; an entry the harvester cannot use is reported on its own. */
    @BindToRegistry
    public InvoiceListParser invoiceListParser(FailureReport failureReport) {
        return new InvoiceListParser(failureReport);
    }
}
