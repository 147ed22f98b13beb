package io.invoiceharvester.http;

/** One GET a route asks the provider-get route to make: its full URL and the content type it accepts. */
public record ProviderRequest(String uri, String accept) {

    static final String JSON = "application/json";

    public static ProviderRequest json(String uri) {
        return new ProviderRequest(uri, JSON);
    }
}
