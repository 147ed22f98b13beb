package io.invoiceharvester.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which process holds the run lock, beyond a host name: cloned VMs, containers sharing a host name and
 * "localhost" fallbacks all look alike by name. Containers on one host share the kernel's boot id, and
 * /etc/machine-id is often the same image-wide, so a holder counts as "this machine's, and dead" only when
 * the boot id and the PID namespace match and its PID is gone while this process can see every process of the
 * namespace, or now belongs to a process the kernel started at another tick.
 * <p>
 * The start is the kernel's own tick count since boot (field 22 of /proc/PID/stat), never a wall-clock instant:
 * Java's process start time is the boot time plus those ticks, and the kernel moves the boot time whenever the
 * wall clock steps (NTP, a VM resumed), so every process started after a step would see a live holder start
 * at another time. A row an older version wrote (its start an instant) is in doubt: its lease decides. A PID
 * this process cannot see is no proof of death either.
 */
record ProcessIdentity(String bootId, String pidNamespace, long pid, String started) {

    static final Path PROC = Path.of("/proc");
    /** How a start tick is written in run_lock.process_started; an older version wrote an ISO instant there. */
    private static final String TICKS = "ticks:";

    /** This process, as /proc (or a stand-in of it, for tests) shows it. */
    static ProcessIdentity current(Path proc) {
        long pid = ProcessHandle.current().pid();
        return new ProcessIdentity(read(proc.resolve("sys/kernel/random/boot_id")), link(proc.resolve("self/ns/pid")), pid,
                startTicks(proc, pid));
    }

    /** Whether the holder recorded as {@code holder} is known dead: same kernel boot and PID namespace, its process gone. */
    boolean provesDead(ProcessIdentity holder, Path proc) {
        if (bootId == null || pidNamespace == null || !bootId.equals(holder.bootId) || !pidNamespace.equals(holder.pidNamespace)
                || holder.pid == pid) {
            return false;
        }
        Path process = proc.resolve(Long.toString(holder.pid));
        if (Files.exists(process)) {
            String started = startTicks(proc, holder.pid);
            // the PID belongs to a process started at another tick: the holder's is gone; an instant proves nothing
            return holder.started != null && holder.started.startsWith(TICKS) && started != null && !started.equals(holder.started);
        }
        // not visible: gone, if this process sees every process of the namespace (PID 1 is always there)
        return Files.isReadable(proc.resolve("1/stat"));
    }

    /**
     * "ticks:N", N the process's start in clock ticks since boot: field 22 of /proc/PID/stat, counted after the
     * command name's closing parenthesis (a name may hold spaces and parentheses); null when unreadable.
     */
    static String startTicks(Path proc, long pid) {
        String stat = read(proc.resolve(pid + "/stat"));
        if (stat == null || stat.lastIndexOf(')') < 0) {
            return null;
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+");
        // fields[0] is field 3 (the state): field 22 is fields[19]
        return fields.length > 19 && fields[19].matches("\\d+") ? TICKS + fields[19] : null;
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
