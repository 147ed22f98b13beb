package io.invoiceharvester.cli;

import io.invoiceharvester.config.CamelSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The `run` service's management port must be free before the service starts: Camel's HTTP server only warns
 * when it is taken, and the service would run on without health or metrics. A port in use (another instance
 * not yet stopped, say) is a condition that passes: exit 75, which the systemd unit restarts on.
 */
final class ManagementPort {

    /** The port is in use; exit 75. */
    static final class InUseException extends RuntimeException {
        InUseException(String message) {
            super(message);
        }
    }

    private ManagementPort() {
    }

    static void checkFree(CamelSettings camel) {
        if (camel.managementPort() == 0) {
            return; // the system picks a free one
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(camel.managementHost()), camel.managementPort()));
        } catch (IOException e) {
            throw new InUseException("harvester.management.port: " + camel.managementHost() + ":" + camel.managementPort()
                    + " cannot be listened on (" + e.getMessage() + "): another process holds it, an instance still stopping"
                    + " perhaps; exit 75, the service manager tries again (set another port if it stays taken)");
        }
    }
}
