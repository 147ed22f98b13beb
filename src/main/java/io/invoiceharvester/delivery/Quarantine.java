package io.invoiceharvester.delivery;

import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.state.QuarantineLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

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
    public void store(ListedFile file, Throwable failure) throws IOException {
        String reason = invalid(failure).getMessage();
        Path target = SafeFiles.within(root, file.getRelativeFolder() + "/" + file.getSafeFileName());
        Path reasonFile = target.resolveSibling(target.getFileName() + ".reason.txt");
        // content found bad after archiving (e.g. by the ledger) leaves the archive too
        Path content = file.getDownloaded() != null ? file.getDownloaded() : file.getStored();
        if (content != null && Files.exists(content)) {
            SafeFiles.moveInto(content, target);
        }
        Files.createDirectories(target.getParent());
        Files.writeString(reasonFile, Instant.now() + " " + file + "\n" + reason + "\n", StandardCharsets.UTF_8);
        log.quarantined(file, reason);
    }

    /** The validation's own failure, inside what Camel wrapped it in (a split that stopped on it). */
    private static InvalidContentException invalid(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidContentException invalid) {
                return invalid;
            }
        }
        throw new IllegalArgumentException("no invalid content: " + failure, failure);
    }
}
