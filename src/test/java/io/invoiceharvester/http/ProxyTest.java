package io.invoiceharvester.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.OperatorCommandsTest;
import io.invoiceharvester.sandbox.Sandbox;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider calls through a real forward proxy, as an enterprise runs it: tinyproxy from Debian's package
 * (.ci/run installs it; without it this test is skipped, saying so). The proxy closes pooled connections
 * the client would reuse: a request that never reached the server must not cost a file.
 */
class ProxyTest {

    static final Path TINYPROXY = Path.of("/usr/bin/tinyproxy");

    @TempDir
    Path dir;
    Process proxy;

    @AfterEach
    void stopProxy() throws InterruptedException {
        if (proxy != null) {
            proxy.destroy();
            proxy.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private int startTinyproxy() throws Exception {
        assumeTrue(Files.isExecutable(TINYPROXY), "tinyproxy (Debian package tinyproxy) is not installed: the proxy test is skipped");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path logs = Files.createDirectories(dir.resolve("proxy-logs"));
        Path conf = dir.resolve("tinyproxy.conf");
        Files.writeString(conf, String.join("\n",
                "Port " + port, "Listen 127.0.0.1", "Timeout 600", "Allow 127.0.0.1", "MaxClients 100",
                "LogFile \"" + logs.resolve("tinyproxy.log") + "\"", "LogLevel Connect", "PidFile \"" + logs.resolve("tinyproxy.pid") + "\"",
                "DisableViaHeader Yes", ""));
        proxy = new ProcessBuilder(TINYPROXY.toString(), "-d", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return port;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("tinyproxy did not start: " + Files.readString(dir.resolve("tinyproxy.out")));
    }

    @Test
    void everyFileArrivesThroughARealProxyRunAfterRun() throws Exception {
        int port = startTinyproxy();
        try (Sandbox sandbox = Sandbox.start(0)) {
            Path fastlyToken = Files.writeString(dir.resolve("fastly-token"), sandbox.fastlyToken());
            for (int run = 1; run <= 2; run++) {
                // each run a harvest of its own (its own state): every file is fetched, each time
                Path config = TestHarvest.sandboxConfig(sandbox, dir.resolve("run" + run), Map.of(
                        "harvester.http.proxy", "http://127.0.0.1:" + port,
                        "harvester.fastly.enabled", "true", "harvester.fastly.base-url", sandbox.baseUrl(),
                        "harvester.fastly.api-token-file", fastlyToken.toString(),
                        "harvester.retry.max-attempts", "2"));
                int requestsBefore = sandbox.requestCount();

                OperatorCommandsTest.Result once = OperatorCommandsTest.cli("once", "--config", config.toString(),
                        "--from", "2025-01", "--to", "2025-03");

                assertEquals(0, once.code(), "run " + run + ": " + once.out() + once.err());
                assertTrue(once.out().contains("19 new"), once.out());
                assertTrue(sandbox.requestCount() > requestsBefore, "the sandbox was reached");
            }
            String log = Files.readString(dir.resolve("proxy-logs/tinyproxy.log"));
            assertTrue(log.contains("127.0.0.1:" + sandbox.port()), "the calls went through the proxy: " + log);
        }
    }
}
