package io.invoiceharvester.model;

/** Downloaded content that failed validation: it goes to quarantine, never to the drop or the ledger. */
public class InvalidContentException extends RuntimeException {
    public InvalidContentException(String message) {
        super(message);
    }
}
