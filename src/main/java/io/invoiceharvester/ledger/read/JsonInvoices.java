package io.invoiceharvester.ledger.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.delivery.JsonErrors;
import io.invoiceharvester.model.InvalidContentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An archived JSON invoice, read whole into memory only when its size is one an invoice can have. */
final class JsonInvoices {

    /** A JSON invoice of thousands of lines is a few megabytes; a larger file is refused, not read. */
    static final long MAX_BYTES = 32L * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JsonInvoices() {
    }

    static JsonNode read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new InvalidContentException("JSON invoice of " + size + " bytes is larger than " + MAX_BYTES / (1024 * 1024)
                    + " MiB, more than an invoice can hold: not read");
        }
        try {
            return MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidContentException("JSON does not parse: " + JsonErrors.describe(e));
        }
    }
}
