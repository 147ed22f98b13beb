package io.invoiceharvester.summary;

import io.invoiceharvester.delivery.SafeFiles;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.FailureReport;
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
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Summaries as .eml files in {output}/outbox: every summary is written here first, then sent and removed
 * while SMTP works. Without an SMTP host, or while it refuses, they wait here for a later run.
 */
public class Outbox {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    private final Path dir;
    private final FailureReport failures;

    public Outbox(Path outputDir, FailureReport failures) {
        this.dir = outputDir.resolve("outbox");
        this.failures = failures;
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
        SafeFiles.replace(tmp, target);
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
        return emlFiles(dir);
    }

    private static List<Mail> emlFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".eml") && !p.getFileName().toString().startsWith("."))
                    .sorted().map(Mail::new).toList();
        }
    }

    /** Mails the SMTP server refused for good, in outbox/refused/, oldest first. */
    public List<Mail> refused() throws IOException {
        return emlFiles(dir.resolve("refused"));
    }

    public MimeMessage load(Mail mail) throws IOException, MessagingException {
        try (InputStream in = Files.newInputStream(mail.file())) {
            // a session of its own, made here: listing the queue (status) loads no mail classes
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }

    public void sent(Mail mail) throws IOException {
        Files.deleteIfExists(mail.file());
    }

    /**
     * A mail the SMTP server refused for good (a 5xx reply: too large, a recipient that does not exist)
     * moves to outbox/refused/ with a .reason.txt and is reported, so that it blocks no later mail; any
     * other failure is rethrown: the server is away, the mail waits and the sending stops for this run.
     */
    public void refuseIfPermanent(RunState run, Mail mail,
                                  Exception error) throws Exception {
        Integer code = smtpReply(error);
        if (code == null || code < 500 || code > 599) {
            throw error;
        }
        Path refused = Files.createDirectories(dir.resolve("refused"));
        String reason = "SMTP " + code + ": " + rootMessage(error);
        Files.writeString(refused.resolve(mail.file().getFileName() + ".reason.txt"), reason + System.lineSeparator());
        Files.move(mail.file(), refused.resolve(mail.file().getFileName()), StandardCopyOption.ATOMIC_MOVE);
        SafeFiles.syncFolder(refused);
        failures.record(run, RunState.FailureKind.OTHER, mail.toString(), "refused by the SMTP server for good (" + reason
                + "): kept in outbox/refused/");
    }

    /** The SMTP reply code of a failed send, when the server gave one. */
    private static Integer smtpReply(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SMTPSendFailedException f) {
                return f.getReturnCode();
            }
            if (t instanceof SMTPAddressFailedException f) {
                return f.getReturnCode();
            }
            if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t) {
                Integer nested = smtpReply(m.getNextException());
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage()).trim();
    }
}
