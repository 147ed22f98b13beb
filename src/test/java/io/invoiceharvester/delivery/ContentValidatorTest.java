package io.invoiceharvester.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.model.Invoice;
import io.invoiceharvester.model.InvoiceFile;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.Listing;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download is checked as a stream: a CSV's header is read through the same line cap as its rows. */
class ContentValidatorTest {

    @TempDir
    Path dir;

    private ListedFile csv(Path file) throws Exception {
        ListedFile task = new ListedFile(new Listing("akamai", "2025-01", null), "2025-01",
                new Invoice("A-1", "C-1", "1", "INVOICE", null, "USD"),
                new InvoiceFile("f.csv", "f.csv", "1", "REGULAR", "text/csv", "/link"));
        task.setDownloaded(file, Files.size(file), "0");
        return task;
    }

    @Test
    void aHeaderLongerThanTheLineCapIsInvalidContentNotReadWhole() throws Exception {
        Path file = dir.resolve("long.csv");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] chunk = "A,".repeat(32 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 40; i++) { // 2.5 MiB, no line break
                out.write(chunk);
            }
        }

        InvalidContentException e = assertThrows(InvalidContentException.class, () -> new ContentValidator().validate(csv(file)));

        assertTrue(e.getMessage().startsWith("line 1: longer than " + CappedLineReader.MAX_LINE_CHARS), e.getMessage());
    }

    @Test
    void aSemicolonSeparatedCsvIsValidContentItsLayoutIsTheLedgersToJudge() throws Exception {
        Path file = Files.writeString(dir.resolve("semi.csv"), "Label;Amount\nLinode;1,50\n");
        ListedFile task = csv(file);
        assertEquals(task, new ContentValidator().validate(task));
    }

    @Test
    void aJsonThatDoesNotParseSaysWhatAndWhereWithoutTheParsersInternals() throws Exception {
        Path file = Files.writeString(dir.resolve("cut.json"), "{\"INVOICE\": {\"LINES\": [1, 2");
        ListedFile task = csv(file);
        ListedFile json = new ListedFile(task.getListing(), "2025-01",
                new Invoice("A-1", "C-1", "1", "INVOICE", null, "USD"),
                new InvoiceFile("f.json", "f.json", "1", "REGULAR", "application/json", "/link"));
        json.setDownloaded(file, Files.size(file), "0");

        InvalidContentException e = assertThrows(InvalidContentException.class, () -> new ContentValidator().validate(json));

        assertTrue(e.getMessage().startsWith("JSON does not parse: Unexpected end-of-input"), e.getMessage());
        assertTrue(e.getMessage().contains("at line 1, column"), e.getMessage());
        assertTrue(!e.getMessage().contains("Source:") && !e.getMessage().contains("StreamReadFeature")
                && !e.getMessage().contains("REDACTED"), e.getMessage());
    }
}
