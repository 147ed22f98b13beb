package io.invoiceharvester.delivery;

import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.state.QuarantineLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/** Sets aside content that failed validation, with a reason file beside it; it is fetched again next run. */
public class Quarantine {

    private final Path root;
    private final QuarantineLog log;

    public Quarantine(Path outputDir, QuarantineLog log) {
        this.root = outputDir.resolve("quarantine");
        this.log = log;
    }

    /**
     * The error handler's step for invalid content: the failed file moves into quarantine/ with the
     * validation's message as its reason beside it.
     */
    public void store(@ExchangeProperty(ExchangeProperties.ITEM) ListedFile task,
                      @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) InvalidContentException invalid) throws IOException {
        String reason = invalid.getMessage();
        Path target = SafeFiles.within(root, task.getRelativeFolder() + "/" + task.getSafeFileName());
        Path reasonFile = target.resolveSibling(target.getFileName() + ".reason.txt");
        // content found bad after archiving (e.g. by the ledger) leaves the archive too
        Path content = task.getDownloaded() != null ? task.getDownloaded() : task.getStored();
        if (content != null && Files.exists(content)) {
            SafeFiles.moveInto(content, target);
        }
        Files.createDirectories(target.getParent());
        Files.writeString(reasonFile, Instant.now() + " " + task + "\n" + reason + "\n", StandardCharsets.UTF_8);
        log.quarantined(task, reason);
    }
}
