package io.invoiceharvester.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.invoiceharvester.edgegrid.EdgeGridCredentials;
import io.invoiceharvester.edgegrid.SignatureVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for both provider APIs on 127.0.0.1. Akamai Invoicing v4: fixed data, real
 * PDF/CSV/JSON bodies, every request's EdgeGrid signature checked (a bad one gets the gateway's 401
 * problem+json). Fastly Billing v3 under /billing/v3/: see {@link FastlyStandIn}.
 */
public final class Sandbox implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DOWNLOAD = Pattern.compile("/invoicing-api/v4/contracts/([^/]+)/invoices/(\\d+)/download");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Akamai's documented limit: requests per minute per account. */
    public static final int AKAMAI_LIMIT = 500;

    private final SandboxData data;
    private final EdgeGridCredentials credentials;
    private final SignatureVerifier verifier;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(64);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger listsInFlight = new AtomicInteger();
    private final AtomicInteger maxListsInFlight = new AtomicInteger();
    private final AccountRateLimit rateLimit;
    private final FastlyStandIn fastly = new FastlyStandIn("sbx-fastly-" + hex(12));

    private final Duration latency;

    private Sandbox(EdgeGridCredentials credentials, HttpServer server, Duration latency, SandboxData data, int perMinute) {
        this.credentials = credentials;
        this.rateLimit = new AccountRateLimit(perMinute);
        this.data = data;
        this.latency = latency;
        this.verifier = new SignatureVerifier(credentials, Duration.ofMinutes(5));
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
        return data.switchKeys();
    }

    /** The most requests (both APIs) that were in progress at once. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** The most Akamai list calls that were in progress at once. */
    public int maxListsInFlight() {
        return maxListsInFlight.get();
    }

    /** Akamai requests refused with 429 for going over an account's limit. */
    public int rateLimited() {
        return rateLimit.refused();
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
    private static void writeEnd(OutputStream out, byte[] b, int off, int len) throws IOException {
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
            String rawQuery = ex.getRequestURI().getRawQuery();
            String target = path + (rawQuery == null ? "" : "?" + rawQuery);
            Map<String, String> headers = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
            String problem = verifier.problem(ex.getRequestMethod(), target, headers,
                    ex.getRequestHeaders().getFirst("Authorization"));
            if (problem != null) {
                gatewayDenied(ex, problem, target);
                return;
            }
            if (!ex.getRequestMethod().equals("GET")) {
                billingProblem(ex, 405, "Method not allowed");
                return;
            }
            Map<String, String> query = query(rawQuery);
            ObjectNode tooMany = rateLimit.admit(query.getOrDefault("accountSwitchKey", ""));
            if (tooMany != null) {
                send(ex, 429, "application/problem+json", JSON.writeValueAsBytes(tooMany));
                return;
            }
            SandboxData.Account account = data.account(query.get("accountSwitchKey"));
            if (account == null) {
                billingProblem(ex, 403, "User in current context cannot access resource");
                return;
            }
            Matcher download = DOWNLOAD.matcher(path);
            if (path.equals("/invoicing-api/v4/invoices")) {
                maxListsInFlight.accumulateAndGet(listsInFlight.incrementAndGet(), Math::max);
                try {
                    list(ex, account, query);
                } finally {
                    listsInFlight.decrementAndGet();
                }
            } else if (download.matches()) {
                download(ex, account, Long.parseLong(download.group(2)), query);
            } else {
                billingProblem(ex, 404, "Resource not found");
            }
        }
    }

    private void list(HttpExchange ex, SandboxData.Account account, Map<String, String> query) throws IOException {
        YearMonth month;
        try {
            month = YearMonth.parse(query.getOrDefault("month", ""));
        } catch (DateTimeParseException e) {
            billingProblem(ex, 400, "An incorrect request has been sent");
            return;
        }
        List<SandboxData.Invoice> invoices = account.invoices().getOrDefault(month, List.of());
        if (invoices.isEmpty()) {
            noBody(ex, 204);
            return;
        }
        ArrayNode list = JSON.createArrayNode();
        for (SandboxData.Invoice inv : invoices) {
            ObjectNode n = list.addObject();
            n.put("accountId", account.accountId());
            n.put("contractId", account.contractId());
            n.put("invoiceId", inv.id());
            n.put("invoiceDate", inv.month().plusMonths(1).atDay(1).toString());
            n.put("invoiceDueDate", inv.month().plusMonths(2).atDay(1).toString());
            n.put("invoiceTotal", inv.total());
            n.put("invoiceCurrency", inv.currency());
            n.put("invoiceType", inv.type());
            ArrayNode files = n.putArray("files");
            for (SandboxData.File f : inv.files()) {
                ObjectNode fn = files.addObject();
                fn.put("contentType", f.contentType());
                fn.put("fileCreationDate", inv.month().plusMonths(1).atDay(1).toString());
                fn.put("fileLink", "/invoicing-api/v4/contracts/" + account.contractId() + "/invoices/" + inv.id() + "/download");
                fn.put("fileName", f.fileName());
                fn.put("fileVersion", f.version());
                fn.put("sourceType", f.sourceType());
            }
        }
        send(ex, 200, "application/json", JSON.writeValueAsBytes(list));
    }

    private void download(HttpExchange ex, SandboxData.Account account, long invoiceId, Map<String, String> query)
            throws IOException {
        String accept = String.valueOf(ex.getRequestHeaders().getFirst("Accept"));
        String sourceType = query.getOrDefault("sourceType", "REGULAR");
        for (List<SandboxData.Invoice> invoices : account.invoices().values()) {
            for (SandboxData.Invoice inv : invoices) {
                if (inv.id() != invoiceId) {
                    continue;
                }
                for (SandboxData.File f : inv.files()) {
                    if (f.contentType().equals(accept) && f.sourceType().equals(sourceType)) {
                        if (f.onDisk() != null) {
                            sendFile(ex, f.contentType(), f.onDisk());
                        } else {
                            sendSlowly(ex, f.contentType(), f.body());
                        }
                        return;
                    }
                }
                noBody(ex, 204);
                return;
            }
        }
        billingProblem(ex, 404, "Resource not found");
    }

    private static void gatewayDenied(HttpExchange ex, String detail, String target) throws IOException {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "https://problems.luna.akamaiapis.net/-/pep-authn/deny");
        p.put("title", "Not authorized");
        p.put("status", 401);
        p.put("detail", detail);
        p.put("instance", "https://akab-sandbox.luna.akamaiapis.net" + target);
        p.put("method", ex.getRequestMethod());
        p.put("requestId", hex(4));
        p.put("requestTime", Instant.now().toString());
        send(ex, 401, "application/problem+json", JSON.writeValueAsBytes(p));
    }

    private static void billingProblem(HttpExchange ex, int status, String title) throws IOException {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "/billing/error-types/" + status);
        p.put("title", title);
        p.put("incidentId", UUID.randomUUID().toString());
        p.putArray("errors").addObject().put("title", title).put("type", "/billing/error-types/" + status);
        send(ex, status, "application/problem+json", JSON.writeValueAsBytes(p));
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            writeEnd(out, body, 0, body.length);
        }
    }

    private void sendSlowly(HttpExchange ex, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body, 0, body.length / 2);
            out.flush();
            pause(latency.dividedBy(2));
            writeEnd(out, body, body.length / 2, body.length - body.length / 2);
        }
    }

    private static void sendFile(HttpExchange ex, String contentType, Path file) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        long size = Files.size(file);
        ex.sendResponseHeaders(200, size);
        try (OutputStream out = ex.getResponseBody(); InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (long left = size; left > 0; ) {
                int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, left));
                if (n <= 0) {
                    break;
                }
                left -= n;
                if (left == 0) {
                    writeEnd(out, buf, 0, n);
                } else {
                    out.write(buf, 0, n);
                }
            }
        }
    }

    private static void pause(Duration d) {
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

    private static String hex(int n) {
        return HexFormat.of().formatHex(bytes(n));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
