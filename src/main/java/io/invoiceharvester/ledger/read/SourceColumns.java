package io.invoiceharvester.ledger.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** Provider fields no ledger column takes, kept as a JSON object (FOCUS's key-value format) in x_SourceColumns. */
final class SourceColumns {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SourceColumns() {
    }

    static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
