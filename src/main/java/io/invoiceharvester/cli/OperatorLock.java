package io.invoiceharvester.cli;

import io.invoiceharvester.state.RunLock;
import java.io.PrintWriter;

/**
 * The run lock of a state-changing operator command (holder 'operator: COMMAND'), taken under the
 * configured lease: the command does its work holding it, or exits 1 at once naming the holder. A command
 * that loses the lock while it works (another process took it over after a missed lease) stops, is told,
 * and exits 1.
 */
final class OperatorLock {

    /** The command's work under the lock: its exit code. */
    interface Work {
        int run(RunLock.Lease lease) throws Exception;
    }

    private OperatorLock() {
    }

    /** @param onLost told (on the lock's heartbeat thread) when the lock turns out to be taken over */
    static int run(RunLock lock, String holder, PrintWriter err, Runnable onLost, Work work) throws Exception {
        try (RunLock.Lease lease = lock.acquire(holder, onLost)) {
            int code = work.run(lease);
            if (lease.isLost()) {
                err.println(holder + ": the run lock was taken over while this command worked: it stopped; see `status`");
                err.flush();
                return Math.max(code, ExitCodes.INCOMPLETE);
            }
            return code;
        } catch (RunLock.HeldException e) {
            return ExitCodes.lockHeld(err, e);
        }
    }

    static int run(RunLock lock, String holder, PrintWriter err, Work work) throws Exception {
        return run(lock, holder, err, () -> { }, work);
    }
}
