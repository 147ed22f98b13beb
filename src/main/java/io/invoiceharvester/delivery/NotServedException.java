package io.invoiceharvester.delivery;

/** A listed file the provider answered without content (204): not bad content, not yet (or not) offered. */
public class NotServedException extends RuntimeException {
    public NotServedException(String message) {
        super(message);
    }
}
