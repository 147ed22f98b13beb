package io.invoiceharvester.model;

/** A list response that is not the documented shape; names the account and month it came from. */
public class MalformedListException extends RuntimeException {
    public MalformedListException(String message) {
        super(message);
    }
}
