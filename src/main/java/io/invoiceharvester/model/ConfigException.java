package io.invoiceharvester.model;

/** A configuration or credential problem, worded for a one-line message naming the key (exit code 2). */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
