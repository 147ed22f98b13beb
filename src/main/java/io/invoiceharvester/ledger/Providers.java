package io.invoiceharvester.ledger;

/** FOCUS names of the providers the harvester knows. */
final class Providers {

    private Providers() {
    }

    static String displayName(String provider) {
        return switch (provider) {
            case "akamai" -> "Akamai";
            case "fastly" -> "Fastly";
            default -> provider;
        };
    }
}
