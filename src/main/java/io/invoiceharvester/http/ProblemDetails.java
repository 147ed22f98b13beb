package io.invoiceharvester.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * Renders a provider's error response (problem+json and its cousins) the way support asks for it:
 * status, title, detail, the errors' titles, and the incident or request id.
 */
public final class ProblemDetails {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final int MAX_FIELD = 500;
    /** Fields are added while the text is shorter than this: a problem with thousands of errors stays one short line. */
    static final int MAX_TEXT = 2000;

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
        for (JsonNode d : details.isArray() ? details : List.of(details)) {
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
                String value = json.get(id).asText();
                sb.append(" (").append(id).append(' ').append(value.length() > 100 ? value.substring(0, 100) + "..." : value).append(')');
            }
        }
        return sb.toString();
    }

    /** One field of a problem, at most {@value #MAX_FIELD} characters: a provider's text is bounded before any log or mail. */
    private static void append(StringBuilder sb, String sep, JsonNode v) {
        if (v.isTextual() && !v.asText().isBlank() && sb.length() < MAX_TEXT) {
            String text = v.asText().trim();
            sb.append(sep).append(text.length() > MAX_FIELD ? text.substring(0, MAX_FIELD - 3) + "..." : text);
        }
    }
}
