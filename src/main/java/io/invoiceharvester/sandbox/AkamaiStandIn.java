package io.invoiceharvester.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.invoiceharvester.edgegrid.EdgeGridCredentials;
import io.invoiceharvester.edgegrid.SignatureVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Akamai Invoicing v4 stand-in: fixed data ({@link SandboxData}), real PDF/CSV/JSON bodies, every request's
 * EdgeGrid signature checked (a bad one gets the gateway's 401 problem+json), the documented per-account limit.
 */
final class AkamaiStandIn {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DOWNLOAD = Pattern.compile("/invoicing-api/v4/contracts/([^/]+)/invoices/(\\d+)/download");

    private final SandboxData data;
    private final SignatureVerifier verifier;
    private final AccountRateLimit rateLimit;
    private final Duration latency;
    private final AtomicInteger listsInFlight = new AtomicInteger();
    private final AtomicInteger maxListsInFlight = new AtomicInteger();

    /** @param latency the second half of a download's latency, paused in the middle of its body */
    AkamaiStandIn(EdgeGridCredentials credentials, SandboxData data, int perMinute, Duration latency) {
        this.data = data;
        this.verifier = new SignatureVerifier(credentials, Duration.ofMinutes(5));
        this.rateLimit = new AccountRateLimit(perMinute);
        this.latency = latency;
    }

    List<String> switchKeys() {
        return data.switchKeys();
    }

    /** The most list calls that were in progress at once. */
    int maxListsInFlight() {
        return maxListsInFlight.get();
    }

    /** Requests refused with 429 for going over an account's limit. */
    int rateLimited() {
        return rateLimit.refused();
    }

    /** Answers a request for a path outside /billing/v3/. */
    void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
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
        Map<String, String> query = Sandbox.query(rawQuery);
        ObjectNode tooMany = rateLimit.admit(query.getOrDefault("accountSwitchKey", ""));
        if (tooMany != null) {
            Sandbox.send(ex, 429, "application/problem+json", JSON.writeValueAsBytes(tooMany));
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
            Sandbox.noBody(ex, 204);
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
        Sandbox.send(ex, 200, "application/json", JSON.writeValueAsBytes(list));
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
                Sandbox.noBody(ex, 204);
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
        p.put("requestId", Sandbox.hex(4));
        p.put("requestTime", Instant.now().toString());
        Sandbox.send(ex, 401, "application/problem+json", JSON.writeValueAsBytes(p));
    }

    private static void billingProblem(HttpExchange ex, int status, String title) throws IOException {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "/billing/error-types/" + status);
        p.put("title", title);
        p.put("incidentId", UUID.randomUUID().toString());
        p.putArray("errors").addObject().put("title", title).put("type", "/billing/error-types/" + status);
        Sandbox.send(ex, status, "application/problem+json", JSON.writeValueAsBytes(p));
    }

    private void sendSlowly(HttpExchange ex, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body, 0, body.length / 2);
            out.flush();
            Sandbox.pause(latency.dividedBy(2));
            Sandbox.writeEnd(out, body, body.length / 2, body.length - body.length / 2);
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
                    Sandbox.writeEnd(out, buf, 0, n);
                } else {
                    out.write(buf, 0, n);
                }
            }
        }
    }
}
