package io.invoiceharvester.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Renders a provider's error response (problem+json and its cousins) the way support asks for it:
 * status, title, detail, the errors' titles, and the incident or request id.
 */
public final class ProblemDetails {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProblemDetails() {
    }

    public static String describe(int status, String body) {
        StringBuilder sb = new StringBuilder("HTTP ").append(status);
        JsonNode json = null;
        try {
            json = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (Exception e) {
            // not JSON: shown as text below
        }
        if (json == null || !json.isObject()) {
            if (body != null && !body.isBlank()) {
                String plain = body.replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?").trim();
                sb.append(": ").append(plain.length() > 200 ? plain.substring(0, 197) + "..." : plain);
            }
            return sb.toString();
        }
        append(sb, ": ", json.path("title"));
        append(sb, ": ", json.path("detail"));
        // Akamai's 429 (and some other problems) say more in "details": a text, or a list of texts or problems
        JsonNode details = json.path("details");
        for (JsonNode d : details.isArray() ? details : java.util.List.of(details)) {
            append(sb, "; ", d.isObject() ? (d.hasNonNull("detail") ? d.get("detail") : d.path("title")) : d);
        }
        JsonNode errors = json.path("errors");
        if (errors.isArray()) {
            for (JsonNode e : errors) {
                append(sb, "; ", e.path("title"));
            }
        }
        for (String id : new String[] {"incidentId", "requestId"}) {
            if (json.hasNonNull(id)) {
                sb.append(" (").append(id).append(' ').append(json.get(id).asText()).append(')');
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String sep, JsonNode v) {
        if (v.isTextual() && !v.asText().isBlank()) {
            sb.append(sep).append(v.asText().trim());
        }
    }
}
