package io.invoiceharvester.ledger.read;

/** A CSV whose columns no mapping recognises: archived and reported, kept out of the ledger. */
public class UnmappedLayoutException extends RuntimeException {
    public UnmappedLayoutException(String message) {
        super(message);
    }
}
