package io.invoiceharvester;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer on loopback that answers every connection one byte every {@code every} milliseconds, forever: an SMTP
 * greeting, or an HTTP response whose headers never end. Each read gets a byte within any read timeout, so only a
 * bound on the call as a whole ends it.
 */
public final class TricklingPeer implements AutoCloseable {

    /** An SMTP server's 220 greeting, never finished. */
    public static final String SMTP = "220 trickling ESMTP a greeting that never quite ends ............................\r\n";
    /** An HTTP response (an S3 bucket's, say) whose header lines never end. */
    public static final String HTTP = "HTTP/1.1 200 OK\r\nX-Trickling: a header that never quite ends ................\r\n";

    private final ServerSocket server;
    private final byte[] answer;
    private final long every;
    public final AtomicInteger connections = new AtomicInteger();

    public TricklingPeer(String answer, long every) throws IOException {
        this.answer = answer.getBytes(StandardCharsets.US_ASCII);
        this.every = every;
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, "trickling-peer");
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
                Thread session = new Thread(() -> trickle(s), "trickling-peer-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void trickle(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            if (answer[0] == 'H') {
                in.read(new byte[8192]); // the request's first bytes: an HTTP peer answers after them
            }
            // the answer's last line (and its CRLF) is never sent: it goes on, a byte at a time
            int lastLine = new String(answer, StandardCharsets.US_ASCII).lastIndexOf("\r\n", answer.length - 3) + 2;
            for (int i = 0; ; i = i + 1 < answer.length - 2 ? i + 1 : lastLine) {
                out.write(answer[i]);
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
