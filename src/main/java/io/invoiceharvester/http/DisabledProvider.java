package io.invoiceharvester.http;

import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;

/** Stands in for a disabled provider's credentials: its routes exist, but nothing is ever sent. */
public class DisabledProvider extends HostBoundInterceptor {

    /** A base URL that resolves nowhere, for a disabled provider's endpoints. */
    public static final String BASE_URL = "https://disabled.invalid";

    private final String setting;

    public DisabledProvider(String setting) {
        super(BASE_URL);
        this.setting = setting;
    }

    @Override
    protected void authorize(HttpRequest request) throws HttpException {
        throw new HttpException("this provider is disabled (" + setting + "=false)");
    }
}
