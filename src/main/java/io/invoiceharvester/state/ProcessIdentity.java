package io.invoiceharvester.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which process holds the run lock, beyond a host name: cloned VMs, containers sharing a host name and
 * "localhost" fallbacks all look alike by name. Containers on one host share the kernel's boot id, and
 * /etc/machine-id is often the same image-wide, so a holder counts as "this machine's, and dead" only when
 * the boot id and the PID namespace match and its PID is visible with another start time, or is gone
 * while this process can see every process of the namespace. A PID this process cannot see is no proof
 * of death: the lease decides.
 */
record ProcessIdentity(String bootId, String pidNamespace, long pid, String started) {

    private static final Path PROC = Path.of("/proc");

    /** This process. */
    static ProcessIdentity current() {
        ProcessHandle self = ProcessHandle.current();
        return new ProcessIdentity(read(PROC.resolve("sys/kernel/random/boot_id")), link(PROC.resolve("self/ns/pid")), self.pid(),
                started(self).orElse(null));
    }

    /** Whether the holder recorded as {@code holder} is known dead: same kernel boot and PID namespace, its process gone. */
    boolean provesDead(ProcessIdentity holder) {
        if (bootId == null || pidNamespace == null || !bootId.equals(holder.bootId) || !pidNamespace.equals(holder.pidNamespace)
                || holder.pid == pid) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(holder.pid);
        if (process.isPresent()) {
            Optional<String> started = started(process.get());
            // the PID now belongs to another process: the holder's is gone
            return holder.started != null && started.isPresent() && !started.get().equals(holder.started);
        }
        // not visible: gone, if this process sees every process of the namespace (PID 1 is always there)
        return Files.isReadable(PROC.resolve("1/stat")) && !Files.exists(PROC.resolve(Long.toString(holder.pid)));
    }

    private static Optional<String> started(ProcessHandle process) {
        return process.info().startInstant().map(Object::toString);
    }

    private static String read(Path file) {
        try {
            return Files.isReadable(file) ? Files.readString(file).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String link(Path file) {
        try {
            return Files.readSymbolicLink(file).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
