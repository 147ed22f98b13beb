package io.invoiceharvester.state;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * H2's AUTO_SERVER lets a second process (an operator command) open the state file; its server listens
 * on loopback only, not on every interface of the machine.
 */
class H2BindAddressTest extends HarvestTestSupport {

    private static java.net.InetAddress nonLoopbackAddress() throws Exception {
        for (java.net.NetworkInterface n : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (n.isUp() && !n.isLoopback()) {
                for (java.net.InetAddress a : java.util.Collections.list(n.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    @Test
    void theAutoServerOfARunningHarvesterListensOnLoopbackOnly() throws Exception {
        h.set("harvester.state.url", "jdbc:h2:file:" + dir.resolve("state/harvester") + ";AUTO_SERVER=TRUE");
        // the list call hangs, so the harvester is running, with its database open, while the lock file is read
        h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withStatus(204).withFixedDelay(60_000)));
        Process once = new ProcessBuilder(TestHarvest.javaCommand("once", "--config", h.configFile().toString(), "--month", "2021-01"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("once.log").toFile()).start();
        try {
            Path lock = dir.resolve("state/harvester.lock.db");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String server = null;
            while (server == null && System.nanoTime() < deadline && once.isAlive()) {
                if (Files.exists(lock)) {
                    server = Files.readAllLines(lock).stream().filter(l -> l.startsWith("server=")).findFirst().orElse(null);
                }
                Thread.sleep(50);
            }
            assertTrue(server != null, "the AUTO_SERVER announced itself: " + Files.readString(dir.resolve("once.log")));
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1).trim());
            java.net.InetAddress outside = nonLoopbackAddress();
            org.junit.jupiter.api.Assumptions.assumeTrue(outside != null, "this machine has no other interface to try");
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(outside, port), 2000);
                org.junit.jupiter.api.Assertions.fail("the state database's server answered on " + outside + ":" + port);
            } catch (java.io.IOException refused) {
                // listening on loopback only
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 2000);
            }
        } finally {
            once.destroyForcibly();
            once.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
