package io.invoiceharvester.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `demo` as a newcomer runs it: its own JVM, a fresh working directory, no credentials. */
class DemoTest {

    @TempDir
    Path workdir;

    private String demo() throws Exception {
        Path log = workdir.resolve("demo.log");
        Process p = new ProcessBuilder(io.invoiceharvester.TestHarvest.javaCommand("demo"))
                .directory(workdir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "demo finished in time");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void demoHarvestsTheSandboxIntoOutDemoAndASecondRunDownloadsNothing() throws Exception {
        String first = demo();
        Path demo = workdir.resolve("out/demo");

        List<Path> pdfs = files(demo.resolve("drop"));
        assertEquals(5, pdfs.size(), pdfs.toString());
        for (Path pdf : pdfs) {
            assertTrue(pdf.getFileName().toString().endsWith(".pdf"));
            assertTrue(new String(Files.readAllBytes(pdf), 0, 5, StandardCharsets.US_ASCII).equals("%PDF-"));
        }
        assertEquals(19, files(demo.resolve("archive")).size(), "16 Akamai files and 3 Fastly invoices");
        assertEquals(List.of("2025-01.csv", "2025-01.parquet", "2025-02.csv", "2025-02.parquet", "focus-metadata.json"),
                files(demo.resolve("ledger")).stream().map(p -> p.getFileName().toString()).sorted().toList());
        assertTrue(Files.readString(demo.resolve("ledger/2025-02.csv")).contains(",Usage,Correction,"));
        List<Path> mails = files(demo.resolve("outbox"));
        assertEquals(1, mails.size());
        assertTrue(mails.get(0).getFileName().toString().endsWith(".eml"));
        String mail = Files.readString(mails.get(0));
        assertTrue(mail.contains("19 new files, 0 failures"), mail);
        assertTrue(mail.contains("== Akamai - account A-DEMO001 - 2025-01 ==") && mail.contains("EUR 2174.17"), mail);
        assertTrue(mail.contains("== Fastly - account 7tSandb0xCust0mer1d - 2025-01 ==") && mail.contains("USD 2950.50"), mail);
        assertTrue(mail.contains("512.75 USD so far (the currency of its posted invoices; an estimate, not billed"), mail);
        assertTrue(Files.exists(demo.resolve("drop/akamai/A-ACME002/2025-01/9100000201_v2_Invoice_A-ACME002_9100000201_FINAL_2.pdf")));
        assertTrue(first.contains("19 new"), first);

        String second = demo();
        assertTrue(second.contains(" 0 new (0 bytes), 19 already stored, 0 failed"), second);
        assertEquals(5, files(demo.resolve("drop")).size());
        assertEquals(1, files(demo.resolve("outbox")).size(), "nothing new: no second summary");
        assertTrue(Stream.of(System.getProperty("user.home") + File.separator + ".edgerc")
                .map(Path::of).noneMatch(p -> Files.exists(p) && p.toFile().lastModified() > System.currentTimeMillis() - 600_000),
                "demo never writes ~/.edgerc");
    }
}
