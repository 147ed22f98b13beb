package io.invoiceharvester.summary;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Summaries as .eml files in {output}/outbox: every summary is written here first, then sent and removed
 * while SMTP works. Without an SMTP host, or while it refuses, they wait here for a later run.
 */
public class Outbox {

    private final Path dir;
    private final Session session = Session.getInstance(new Properties());

    public Outbox(Path outputDir) {
        this.dir = outputDir.resolve("outbox");
    }

    public Path write(MimeMessage message) throws IOException, MessagingException {
        Files.createDirectories(dir);
        String name = "summary-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                .format(java.time.LocalDateTime.now()) + "-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".eml";
        Path tmp = dir.resolve("." + name + ".inprogress");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            message.writeTo(out);
        }
        Path target = dir.resolve(name);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Queued messages, oldest first. */
    public List<Path> pending() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".eml") && !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    public MimeMessage load(Path file) throws IOException, MessagingException {
        try (InputStream in = Files.newInputStream(file)) {
            return new MimeMessage(session, in);
        }
    }

    public void sent(Path file) throws IOException {
        Files.deleteIfExists(file);
    }
}
