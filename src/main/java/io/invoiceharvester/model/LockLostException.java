package io.invoiceharvester.model;

/**
 * A write of a run (or operator command) whose run lock another process has taken over: refused, so that the
 * holder alone writes. The run reports the loss once and writes nothing more.
 */
public class LockLostException extends RuntimeException {
    public LockLostException(String holder) {
        super("the run lock was taken over: " + holder + " no longer holds it, and writes nothing more");
    }
}
