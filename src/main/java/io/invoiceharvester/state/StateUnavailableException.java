package io.invoiceharvester.state;

/**
 * The state database cannot be reached yet (connection refused, the server starting up): a temporary
 * condition, exit 75 (EX_TEMPFAIL), on which a service manager restarts; not a configuration error.
 */
public class StateUnavailableException extends RuntimeException {
    public StateUnavailableException(String message) {
        super(message);
    }
}
