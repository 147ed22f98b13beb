package io.invoiceharvester.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.invoiceharvester.edgegrid.EdgeGridCredentials;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for both provider APIs on 127.0.0.1, one server for both: Fastly Billing v3 under /billing/v3/
 * ({@link FastlyStandIn}), Akamai Invoicing v4 everywhere else ({@link AkamaiStandIn}). It counts the requests in
 * progress and adds the latency of a distant API.
 */
public final class Sandbox implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Akamai's documented limit: requests per minute per account. */
    public static final int AKAMAI_LIMIT = 500;

    private final EdgeGridCredentials credentials;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(64);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AkamaiStandIn akamai;
    private final FastlyStandIn fastly = new FastlyStandIn("sbx-fastly-" + hex(12));

    private final Duration latency;

    private Sandbox(EdgeGridCredentials credentials, HttpServer server, Duration latency, SandboxData data, int perMinute) {
        this.credentials = credentials;
        this.akamai = new AkamaiStandIn(credentials, data, perMinute, latency);
        this.latency = latency;
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    /** Starts on 127.0.0.1; port 0 picks a free one. Fresh random credentials each start. */
    public static Sandbox start(int port) throws IOException {
        return start(port, Duration.ZERO);
    }

    /**
     * @param latency added to every response, like a distant API: half before the answer, and for file
     *                downloads the other half in the middle of the body
     */
    public static Sandbox start(int port, Duration latency) throws IOException {
        return start(port, latency, new SandboxData());
    }

    public static Sandbox start(int port, Duration latency, SandboxData data) throws IOException {
        return start(port, latency, data, AKAMAI_LIMIT);
    }

    /** @param perMinute Akamai's request limit per account; 0 switches it off (to measure without it) */
    public static Sandbox start(int port, Duration latency, SandboxData data, int perMinute) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        Sandbox sandbox = new Sandbox(randomCredentials(), server, latency, data, perMinute);
        server.start();
        return sandbox;
    }

    private static EdgeGridCredentials randomCredentials() {
        return new EdgeGridCredentials("akab-sandbox.luna.akamaiapis.net", "akab-sandbox-client-" + hex(8),
                Base64.getEncoder().encodeToString(bytes(32)), "akab-sandbox-access-" + hex(8),
                EdgeGridCredentials.DEFAULT_MAX_BODY, List.of());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int requestCount() {
        return requests.get();
    }

    /** The .edgerc section that the sandbox accepts. */
    public String edgercSection(String section) {
        return "[" + section + "]\n"
                + "host = " + credentials.host() + "\n"
                + "client_token = " + credentials.clientToken() + "\n"
                + "client_secret = " + credentials.clientSecret() + "\n"
                + "access_token = " + credentials.accessToken() + "\n";
    }

    /** The Fastly API token the sandbox accepts (it changes at every start). */
    public String fastlyToken() {
        return fastly.token();
    }

    public List<String> switchKeys() {
        return akamai.switchKeys();
    }

    /** The most requests (both APIs) that were in progress at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** The most Akamai list calls that were in progress at once. */
    public int maxListsInFlight() {
        return akamai.maxListsInFlight();
    }

    /** Akamai requests refused with 429 for going over an account's limit. */
    public int rateLimited() {
        return akamai.rateLimited();
    }

    /**
     * What ends the request this thread serves in the in-flight count: run before its response's last byte
     * is written, since the client may send its next request as soon as that byte arrives.
     */
    private static final ThreadLocal<Runnable> ANSWERED = new ThreadLocal<>();

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        ANSWERED.set(inFlight::decrementAndGet);
        try {
            respond(ex);
        } finally {
            answered();
        }
    }

    private static void answered() {
        Runnable end = ANSWERED.get();
        if (end != null) {
            ANSWERED.remove();
            end.run();
        }
    }

    /** A response without a body (204). */
    static void noBody(HttpExchange ex, int status) throws IOException {
        answered();
        ex.sendResponseHeaders(status, -1);
    }

    /** Writes the bytes, the last one after the request has left the in-flight count. */
    static void writeEnd(OutputStream out, byte[] b, int off, int len) throws IOException {
        if (len > 0) {
            out.write(b, off, len - 1);
        }
        answered();
        if (len > 0) {
            out.write(b[off + len - 1]);
        }
    }

    private void respond(HttpExchange ex) throws IOException {
        pause(latency.dividedBy(2));
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/billing/v3/")) {
                fastly.handle(ex);
                return;
            }
            akamai.handle(ex);
        }
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            writeEnd(out, body, 0, body.length);
        }
    }

    static void pause(Duration d) {
        if (!d.isZero()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String hex(int n) {
        return HexFormat.of().formatHex(bytes(n));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
