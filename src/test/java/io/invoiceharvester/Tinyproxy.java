package io.invoiceharvester;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real forward proxy, as an enterprise runs it: tinyproxy from Debian's package (.ci/run installs it; a test
 * without it is skipped, saying so), on loopback, logging each request it forwards.
 */
public final class Tinyproxy implements AutoCloseable {

    static final Path TINYPROXY = Path.of("/usr/bin/tinyproxy");

    private final Process process;
    private final Path log;
    public final int port;

    public Tinyproxy(Path dir) throws Exception {
        assumeTrue(Files.isExecutable(TINYPROXY), "tinyproxy (Debian package tinyproxy) is not installed: the proxy test is skipped");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path logs = Files.createDirectories(dir.resolve("proxy-logs"));
        log = logs.resolve("tinyproxy.log");
        Path conf = dir.resolve("tinyproxy.conf");
        Files.writeString(conf, String.join("\n",
                "Port " + port, "Listen 127.0.0.1", "Timeout 600", "Allow 127.0.0.1", "MaxClients 100",
                "LogFile \"" + log + "\"", "LogLevel Connect", "PidFile \"" + logs.resolve("tinyproxy.pid") + "\"",
                "DisableViaHeader Yes", ""));
        process = new ProcessBuilder(TINYPROXY.toString(), "-d", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("tinyproxy did not start: " + Files.readString(dir.resolve("tinyproxy.out")));
    }

    /** What the proxy logged: the requests it forwarded. */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
