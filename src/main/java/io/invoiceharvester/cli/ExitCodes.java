package io.invoiceharvester.cli;

import io.invoiceharvester.state.RunLock;
import java.io.PrintWriter;
/** The process exit codes README "Exit codes" lists. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The run finished, but at least one file could not be fetched, validated, delivered or ingested. */
    public static final int INCOMPLETE = 1;
    /** Configuration or credential error. */
    public static final int CONFIG = 2;
    /** A provider could not be reached at all. */
    public static final int UNREACHABLE = 3;
    /** The state database cannot be reached yet (EX_TEMPFAIL of sysexits.h): try again later. */
    public static final int TEMPFAIL = 75;

    private ExitCodes() {
    }

    /** A run or an operator command holds the run lock: said once, the same way by every command; exit 1. */
    static int lockHeld(PrintWriter out, RunLock.HeldException e) {
        out.println(e.getMessage() + "; nothing was done, try again when it has finished");
        out.flush();
        return INCOMPLETE;
    }
}
