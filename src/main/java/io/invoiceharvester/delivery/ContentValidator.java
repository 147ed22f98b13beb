package io.invoiceharvester.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.ListedFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Checks that a download is what its content type says, reading the file as a stream. */
public class ContentValidator {

    private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    private static final JsonFactory JSON = new JsonFactory();

    public ListedFile validate(ListedFile file) throws IOException {
        Path body = file.getDownloaded();
        if (file.getBytes() == 0) {
            throw new InvalidContentException("empty body");
        }
        switch (file.getContentType()) {
            case "application/pdf" -> checkPdf(body);
            case "application/json" -> checkJson(body);
            case "text/csv" -> checkCsv(body);
            default -> throw new InvalidContentException("unexpected content type " + file.getContentType());
        }
        return file;
    }

    private static void checkPdf(Path file) throws IOException {
        byte[] head = new byte[PDF_MAGIC.length];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) != head.length || !Arrays.equals(head, PDF_MAGIC)) {
                throw new InvalidContentException("not a PDF: the body does not start with %PDF-");
            }
        }
    }

    private static void checkJson(Path file) throws IOException {
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() == null) {
                throw new InvalidContentException("empty JSON document");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new InvalidContentException("JSON has trailing content at line " + p.currentLocation().getLineNr());
            }
        } catch (JsonProcessingException e) {
            throw new InvalidContentException("JSON does not parse: " + JsonErrors.describe(e));
        }
    }

    /**
     * A CSV starts with a header line, read through the line cap: which layout it is (and its delimiter)
     * is the ledger's to decide, so a ';'-separated file waits for a layout instead of being refused here.
     */
    private static void checkCsv(Path file) throws IOException {
        try (BufferedReader r = new BufferedReader(new CappedLineReader(Files.newBufferedReader(file, StandardCharsets.UTF_8)))) {
            String header = r.readLine();
            if (header != null && header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            if (header == null || header.isBlank()) {
                throw new InvalidContentException("CSV has no header row");
            }
        } catch (MalformedInputException e) {
            throw new InvalidContentException("CSV is not UTF-8 text");
        }
    }
}
