package io.invoiceharvester.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The Fastly Billing v3 stand-in: one customer's invoices for the sandbox months, one invoice a page
 * (so a month can take several pages), line items in both spellings, and a month-to-date estimate.
 * Every request must carry the sandbox's Fastly-Key.
 */
final class FastlyStandIn {

    static final String CUSTOMER = "7tSandb0xCust0mer1d";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String token;
    private final List<ObjectNode> invoices = new ArrayList<>();

    FastlyStandIn(String token) {
        this.token = token;
        YearMonth jan = SandboxData.MONTHS.get(0);
        YearMonth feb = SandboxData.MONTHS.get(1);
        invoices.add(invoice("3000101", jan, false, List.of(
                item("North America Bandwidth", "1200.00", "0.08", "15000", "CDN", "Full-Site Delivery", "North America", "Bandwidth", null),
                item("Europe Requests", "350.50", "0.0075", "46733.33", "CDN", "Full-Site Delivery", "Europe", "Requests", null),
                item("Promotional credit", "-100.00", null, "1", "Credit", "Credits", "Global", "Credit", "PROMO-2025"))));
        // an older client's spelling of the same fields
        invoices.add(invoice("3000102", jan, true, List.of(
                item("Next-Gen WAF", "1500.00", "1500.00", "1", "Next-Gen WAF", "Security", "Global", "Subscription", null))));
        invoices.add(invoice("3000201", feb, false, List.of(
                item("North America Bandwidth", "1100.00", "0.08", "13750", "CDN", "Full-Site Delivery", "North America", "Bandwidth", null),
                item("Compute Requests", "212.40", "0.5", "424.8", "Compute", "Compute", "Global", "Requests", null))));
    }

    String token() {
        return token;
    }

    private record Item(String description, String amount, String rate, String units, String product, String group,
                        String region, String usageType, String coupon) {
    }

    private static Item item(String description, String amount, String rate, String units, String product, String group,
                             String region, String usageType, String coupon) {
        return new Item(description, amount, rate, units, product, group, region, usageType, coupon);
    }

    private static ObjectNode invoice(String id, YearMonth month, boolean pascalCase, List<Item> items) {
        ObjectNode inv = JSON.createObjectNode();
        inv.put("customer_id", CUSTOMER);
        inv.put("invoice_id", id);
        inv.put("invoice_posted_on", month.plusMonths(1).atDay(2) + "T00:00:00Z");
        inv.put("billing_start_date", month.atDay(1) + "T00:00:00Z");
        inv.put("billing_end_date", month.atEndOfMonth() + "T23:59:59Z");
        inv.put("statement_number", "STMT-" + month);
        inv.put("currency_code", "USD");
        BigDecimal total = BigDecimal.ZERO;
        ArrayNode lines = inv.putArray("transaction_line_items");
        for (Item i : items) {
            ObjectNode l = lines.addObject();
            l.put("description", i.description());
            l.put("amount", new BigDecimal(i.amount()));
            if (i.rate() == null) {
                l.putNull("rate");
            } else {
                l.put("rate", new BigDecimal(i.rate()));
            }
            l.put("units", new BigDecimal(i.units()));
            l.put("credit_coupon_code", i.coupon() == null ? "" : i.coupon());
            l.put(pascalCase ? "ProductName" : "product_name", i.product());
            l.put(pascalCase ? "ProductGroup" : "product_group", i.group());
            l.put(pascalCase ? "ProductLine" : "product_line", i.group());
            l.put(pascalCase ? "Region" : "region", i.region());
            l.put(pascalCase ? "UsageType" : "usage_type", i.usageType());
            total = total.add(new BigDecimal(i.amount()));
        }
        inv.put("monthly_transaction_amount", total);
        return inv;
    }

    void handle(HttpExchange ex) throws IOException {
        if (!token.equals(ex.getRequestHeaders().getFirst("Fastly-Key"))) {
            ObjectNode p = JSON.createObjectNode().put("type", "https://httpstatuses.io/401").put("title", "Unauthorized")
                    .put("code", "unauthorized").put("status", "401");
            Sandbox.send(ex, 401, "application/json", JSON.writeValueAsBytes(p));
            return;
        }
        String path = ex.getRequestURI().getRawPath();
        if (path.equals("/billing/v3/invoices/month-to-date")) {
            monthToDate(ex);
        } else if (path.equals("/billing/v3/invoices")) {
            list(ex, Sandbox.query(ex.getRequestURI().getRawQuery()));
        } else if (path.startsWith("/billing/v3/invoices/")) {
            String id = path.substring("/billing/v3/invoices/".length());
            for (ObjectNode inv : invoices) {
                if (inv.get("invoice_id").asText().equals(id)) {
                    Sandbox.send(ex, 200, "application/json", JSON.writeValueAsBytes(inv));
                    return;
                }
            }
            notFound(ex);
        } else {
            notFound(ex);
        }
    }

    private void list(HttpExchange ex, Map<String, String> query) throws IOException {
        LocalDate from;
        LocalDate to;
        try {
            from = LocalDate.parse(query.get("billing_start_date"));
            to = LocalDate.parse(query.get("billing_end_date"));
        } catch (RuntimeException e) {
            ObjectNode p = JSON.createObjectNode().put("type", "https://httpstatuses.io/400").put("title", "Bad Request")
                    .put("code", "bad_request").put("status", "400");
            Sandbox.send(ex, 400, "application/json", JSON.writeValueAsBytes(p));
            return;
        }
        // as documented, and in the strictest reading: billing_start_date against the invoice's billing start,
        // billing_end_date against its billing end, each date as midnight UTC
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode inv : invoices) {
            Instant start = Instant.parse(inv.get("billing_start_date").asText());
            Instant end = Instant.parse(inv.get("billing_end_date").asText());
            if (!start.isBefore(midnight(from)) && !end.isAfter(midnight(to))) {
                matching.add(inv);
            }
        }
        int offset = 0;
        if (query.get("cursor") != null) {
            String decoded = new String(Base64.getDecoder().decode(query.get("cursor")), StandardCharsets.UTF_8);
            offset = JSON.readTree(decoded).path("offset").asInt();
        }
        ObjectNode page = JSON.createObjectNode();
        ArrayNode data = page.putArray("data");
        if (offset < matching.size()) {
            data.add(matching.get(offset));
        }
        boolean more = offset + 1 < matching.size();
        page.putObject("meta")
                .put("next_cursor", more ? Base64.getEncoder().encodeToString(("{\"offset\":" + (offset + 1) + "}").getBytes(StandardCharsets.UTF_8)) : "")
                .put("limit", 1).put("sort", "billing_start_date").put("total", matching.size());
        Sandbox.send(ex, 200, "application/json", JSON.writeValueAsBytes(page));
    }

    private static Instant midnight(LocalDate date) {
        return date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private void monthToDate(HttpExchange ex) throws IOException {
        YearMonth now = YearMonth.now();
        ObjectNode mtd = JSON.createObjectNode();
        mtd.put("customer_id", CUSTOMER);
        mtd.put("invoice_id", "");
        mtd.put("billing_start_date", now.atDay(1) + "T00:00:00Z");
        mtd.put("billing_end_date", now.atEndOfMonth() + "T23:59:59Z");
        mtd.put("monthly_transaction_amount", "512.75");
        ArrayNode items = mtd.putArray("transaction_line_items");
        items.addObject().put("description", "North America Bandwidth").put("amount", new BigDecimal("480.00"))
                .put("rate", new BigDecimal("0.08")).put("units", 6000).put("product_name", "CDN").put("usage_type", "Bandwidth");
        items.addObject().put("description", "Europe Requests").put("amount", new BigDecimal("32.75"))
                .put("rate", new BigDecimal("0.0075")).put("units", new BigDecimal("4366.67")).put("product_name", "CDN")
                .put("usage_type", "Requests");
        Sandbox.send(ex, 200, "application/json", JSON.writeValueAsBytes(mtd));
    }

    private static void notFound(HttpExchange ex) throws IOException {
        ObjectNode p = JSON.createObjectNode().put("type", "https://httpstatuses.io/404").put("title", "Not Found")
                .put("code", "not_found").put("status", "404");
        Sandbox.send(ex, 404, "application/json", JSON.writeValueAsBytes(p));
    }
}
