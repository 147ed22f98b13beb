package io.invoiceharvester.cli;

/** The process exit codes of DESIGN.md. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The run finished, but at least one file could not be fetched, validated, delivered or ingested. */
    public static final int INCOMPLETE = 1;
    /** Configuration or credential error. */
    public static final int CONFIG = 2;
    /** A provider could not be reached at all. */
    public static final int UNREACHABLE = 3;

    private ExitCodes() {
    }
}
