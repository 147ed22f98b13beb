package io.invoiceharvester.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sockets of the summary mail's SMTP connections (Jakarta Mail's mail.smtp.socketFactory), each with an end:
 * a send as a whole (connect, greeting, STARTTLS, message, QUIT) lasts at most harvester.mail.send-timeout, and
 * the run's deadline or a stop of the service cuts every send in flight. Mail's own timeouts bound one read or
 * write; a server trickling its replies a byte at a time passes each of them and would hold the run forever.
 * A send is cut by closing its socket: the transport's read or write fails, and the mail stays in the outbox.
 */
public final class SmtpSockets extends SocketFactory implements Cutoffs.Party, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSockets.class);

    private final Duration sendTimeout;
    private final Map<Socket, ScheduledFuture<?>> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harvester-smtp-deadline");
        t.setDaemon(true);
        return t;
    });

    public SmtpSockets(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    /** Why sends are refused (the run passed its deadline, the service stops), or null. */
    private volatile String cut;

    /** Every send in flight, cut now (the run's deadline, a stop), and new ones refused: the mail stays in the outbox. */
    @Override
    public void cutAll(String why) {
        cut = why;
        for (Socket socket : open.keySet()) {
            LOG.warn("SMTP send cut ({}): the mail stays in the outbox", why);
            cut(socket);
        }
    }

    private void cut(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing an SMTP socket: {}", e.getMessage());
        }
    }

    @Override
    public void resume() {
        cut = null;
    }

    @Override
    public Socket createSocket() throws IOException {
        if (cut != null) {
            throw new IOException("not sent: " + cut);
        }
        Socket socket = new Socket() {
            @Override
            public synchronized void close() throws IOException {
                ScheduledFuture<?> end = open.remove(this);
                if (end != null) {
                    end.cancel(false);
                }
                super.close();
            }
        };
        open.put(socket, watchdog.schedule(() -> {
            LOG.warn("SMTP send cut after harvester.mail.send-timeout ({}): the mail stays in the outbox", sendTimeout);
            cut(socket);
        }, sendTimeout.toMillis(), TimeUnit.MILLISECONDS));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    /** A watched socket connected to the address (from the local one, if given), closed if that fails. */
    private Socket connected(InetSocketAddress to, InetSocketAddress from) throws IOException {
        Socket socket = createSocket();
        try {
            if (from != null) {
                socket.bind(from);
            }
            socket.connect(to);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        open.keySet().forEach(this::cut);
    }
}
