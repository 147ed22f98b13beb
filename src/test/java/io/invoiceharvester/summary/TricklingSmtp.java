package io.invoiceharvester.summary;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP peer on loopback that sends its 220 greeting one byte every {@code every} milliseconds: each read
 * gets a byte within any read timeout, so only a bound on the send as a whole ends it.
 */
public final class TricklingSmtp implements AutoCloseable {

    private final ServerSocket server;
    private final long every;
    public final AtomicInteger connections = new AtomicInteger();

    public TricklingSmtp(long every) throws IOException {
        this.every = every;
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, "trickling-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread session = new Thread(() -> trickle(s), "trickling-smtp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void trickle(Socket s) {
        try (s; OutputStream out = s.getOutputStream()) {
            byte[] greeting = "220 trickling-smtp ESMTP a greeting that never quite ends ......................................\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; ; i = (i + 1) % (greeting.length - 2)) {
                out.write(greeting[i]);
                out.flush();
                Thread.sleep(every);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
