package io.invoiceharvester.model;

/** One list call: a provider's invoices of one month, for one account (switch key, or the credential's own). */
public final class Listing {

    private final String provider;
    private final String month;
    private final String accountSwitchKey;

    public Listing(String provider, String month, String accountSwitchKey) {
        this.provider = provider;
        this.month = month;
        this.accountSwitchKey = accountSwitchKey;
    }

    public String getProvider() {
        return provider;
    }

    public String getMonth() {
        return month;
    }

    /** null for the credential's own account. */
    public String getAccountSwitchKey() {
        return accountSwitchKey;
    }

    @Override
    public String toString() {
        return provider + " " + month + " " + (accountSwitchKey == null ? "(own account)" : "account " + accountSwitchKey);
    }
}
