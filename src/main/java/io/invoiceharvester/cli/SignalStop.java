package io.invoiceharvester.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGTERM (systemd, docker stop) and Ctrl-C stop the harvester gracefully before the JVM's shutdown
 * hooks run: the run in flight finishes, then the state database is closed. Left to the hooks, H2 would
 * close its database from a hook of its own while the run is still writing (the default AUTO_SERVER URL
 * cannot turn that off), and the run's last records would be lost. A second signal stops at once.
 */
final class SignalStop {

    private SignalStop() {
    }

    /** @param gracefully stops Camel and lets the caller's thread close the rest */
    static void install(Runnable gracefully) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> {
                if (stopping.compareAndSet(false, true)) {
                    Thread stop = new Thread(gracefully, "harvester-stop");
                    stop.start();
                } else {
                    System.exit(128 + signal.getNumber());
                }
            });
        }
    }
}
