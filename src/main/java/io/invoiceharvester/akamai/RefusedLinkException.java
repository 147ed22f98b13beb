package io.invoiceharvester.akamai;

/** A fileLink that does not lead to the configured API host: nothing is sent, the file is reported. */
public class RefusedLinkException extends RuntimeException {
    public RefusedLinkException(String message) {
        super(message);
    }
}
