package io.invoiceharvester.akamai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Renders an Akamai error response (problem+json) the way support asks for it: title, detail, incident/request id. */
public final class AkamaiProblem {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AkamaiProblem() {
    }

    public static String describe(int status, String body) {
        StringBuilder sb = new StringBuilder("HTTP ").append(status);
        JsonNode json = null;
        try {
            json = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (Exception e) {
            // not JSON: say so below
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
        JsonNode errors = json.path("errors");
        if (errors.isArray()) {
            for (JsonNode e : errors) {
                append(sb, "; ", e.path("title"));
            }
        }
        if (json.hasNonNull("incidentId")) {
            sb.append(" (incidentId ").append(json.get("incidentId").asText()).append(')');
        }
        if (json.hasNonNull("requestId")) {
            sb.append(" (requestId ").append(json.get("requestId").asText()).append(')');
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String sep, JsonNode v) {
        if (v.isTextual() && !v.asText().isBlank()) {
            sb.append(sep).append(v.asText().trim());
        }
    }
}
