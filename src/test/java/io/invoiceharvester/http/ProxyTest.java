package io.invoiceharvester.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.Tinyproxy;
import io.invoiceharvester.cli.OperatorCommandsTest;
import io.invoiceharvester.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider calls through a real forward proxy, as an enterprise runs it: tinyproxy from Debian's package
 * (.ci/run installs it; without it this test is skipped, saying so). The proxy closes pooled connections
 * the client would reuse: a request that never reached the server must not cost a file.
 */
class ProxyTest {

    @TempDir
    Path dir;

    @Test
    void everyFileArrivesThroughARealProxyRunAfterRun() throws Exception {
        try (Tinyproxy proxy = new Tinyproxy(dir); Sandbox sandbox = Sandbox.start(0)) {
            int port = proxy.port;
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
            String log = proxy.log();
            assertTrue(log.contains("127.0.0.1:" + sandbox.port()), "the calls went through the proxy: " + log);
        }
    }
}
