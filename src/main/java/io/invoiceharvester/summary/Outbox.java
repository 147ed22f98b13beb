package io.invoiceharvester.summary;

import io.invoiceharvester.run.RunItem;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.ExchangeProperty;

/**
 * Summaries as .eml files in {output}/outbox: every summary is written here first, then sent and removed
 * while SMTP works. Without an SMTP host, or while it refuses, they wait here for a later run.
 */
public class Outbox {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    private final Path dir;
    private final Session session = Session.getInstance(new Properties());

    public Outbox(Path outputDir) {
        this.dir = outputDir.resolve("outbox");
    }

    /** A new summary's name: sorts by time, unique by its summary id. */
    static String nameFor(String summaryId) {
        return "summary-" + STAMP.format(LocalDateTime.now()) + "-" + summaryId.substring(0, Math.min(8, summaryId.length())) + ".eml";
    }

    /** Writes a summary under its name, once: a second write of the same name (after a crash) keeps the first. */
    public SummaryMail.Queued write(SummaryMail.Queued summary) throws IOException, MessagingException {
        Files.createDirectories(dir);
        Path target = dir.resolve(summary.outboxName());
        if (Files.exists(target)) {
            return summary;
        }
        Path tmp = dir.resolve("." + summary.outboxName() + ".inprogress");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            summary.message().writeTo(out);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return summary;
    }

    /** Whether a summary of this name is queued. */
    public boolean has(String name) {
        return Files.exists(dir.resolve(name));
    }

    /** A queued mail, named as failures and operators name it. */
    public record Mail(Path file) {
        @Override
        public String toString() {
            return "outbox " + file.getFileName();
        }
    }

    /** Queued mails, oldest first. */
    public List<Mail> pending() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".eml") && !p.getFileName().toString().startsWith("."))
                    .sorted().map(Mail::new).toList();
        }
    }

    public MimeMessage load(Mail mail) throws IOException, MessagingException {
        try (InputStream in = Files.newInputStream(mail.file())) {
            return new MimeMessage(session, in);
        }
    }

    public void sent(@ExchangeProperty(RunItem.ITEM) Mail mail) throws IOException {
        Files.deleteIfExists(mail.file());
    }
}
