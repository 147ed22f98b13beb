package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.fastly.FastlyInvoices;
import io.invoiceharvester.fastly.FastlyKeyInterceptor;
import io.invoiceharvester.fastly.FastlyRequests;
import io.invoiceharvester.fastly.MonthToDate;
import io.invoiceharvester.http.ApiClientConfigurer;
import io.invoiceharvester.http.DisabledProvider;
import io.invoiceharvester.http.RequestSlots;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.state.FastlyEstimates;
import io.invoiceharvester.state.StateDatabase;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;

/** Fastly's Billing API v3: its requests, their key, its invoices and the month-to-date estimate. */
public class FastlyBeans implements CamelConfiguration {

    /** The list, invoice and estimate requests. */
    @BindToRegistry
    public FastlyRequests fastlyRequests(HarvesterSettings settings) {
        return new FastlyRequests(settings.fastly().apiUrl());
    }

    /** A listing page's invoices as files to fetch; an invoice's version is its content's hash. */
    @BindToRegistry
    public FastlyInvoices fastlyInvoices(FailureReport failureReport) {
        return new FastlyInvoices(failureReport);
    }

    /** The month-to-date estimate, kept apart from invoiced lines (harvester.fastly.month-to-date). */
    @BindToRegistry
    public MonthToDate monthToDate(StateDatabase state) {
        return new MonthToDate(new FastlyEstimates(state.dataSource()));
    }

    /** The HTTP client of Fastly calls: the API key, sent only to the configured host, within the shared request slots. */
    @BindToRegistry
    public ApiClientConfigurer fastlyAuth(HarvesterSettings settings, RequestSlots slots, HttpClientConnectionManager connections) {
        return new ApiClientConfigurer(settings.fastly().enabled()
                ? new FastlyKeyInterceptor(settings.fastly().token(), settings.fastly().apiUrl())
                : new DisabledProvider("harvester.fastly.enabled"), settings.http().outbound(), connections, slots.gate());
    }
}
