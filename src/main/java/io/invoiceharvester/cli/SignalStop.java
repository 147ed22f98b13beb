package io.invoiceharvester.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM (systemd, docker stop), SIGHUP (a closed terminal, `kill -HUP`) and Ctrl-C stop the harvester
 * gracefully before the JVM's shutdown hooks run: the run in flight finishes, then the state database is
 * closed. Left to the hooks, H2 would close its database from a hook of its own while the run is still writing
 * (the default AUTO_SERVER URL cannot turn that off), and the run's last records would be lost; Camel's own
 * hang-up handler would stop Camel past the wind-down, without a word. Each stop says which signal asked for
 * it. A second signal stops at once.
 */
final class SignalStop {

    private SignalStop() {
    }

    /** @param gracefully stops Camel and lets the caller's thread close the rest */
    static void install(Runnable gracefully) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : List.of("TERM", "INT", "HUP")) {
            Signal.handle(new Signal(name), signal -> {
                if (stopping.compareAndSet(false, true)) {
                    LoggerFactory.getLogger(SignalStop.class).info("SIG{} received: stopping gracefully (a run in flight winds down"
                            + " first; a second signal stops at once)", name);
                    Thread stop = new Thread(gracefully, "harvester-stop");
                    stop.start();
                } else {
                    LoggerFactory.getLogger(SignalStop.class).warn("SIG{} received again: stopping at once", name);
                    System.exit(128 + signal.getNumber());
                }
            });
        }
    }
}
