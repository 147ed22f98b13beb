package io.invoiceharvester.model;

/** FOCUS names of the providers the harvester knows. */
public final class Providers {

    private Providers() {
    }

    public static String displayName(String provider) {
        return switch (provider) {
            case "akamai" -> "Akamai";
            case "fastly" -> "Fastly";
            default -> provider;
        };
    }
}
