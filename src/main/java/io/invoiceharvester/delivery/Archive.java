package io.invoiceharvester.delivery;

import io.invoiceharvester.model.ListedFile;
import java.io.IOException;
import java.nio.file.Path;

/** Keeps every validated file byte-exact under archive/{provider}/{account}/{YYYY-MM}/{invoice}/v{n}/. */
public class Archive {

    private final Path root;

    public Archive(Path outputDir) {
        this.root = outputDir.resolve("archive");
    }

    /** Moves the downloaded file into the archive; the file knows where it is stored from then on. */
    public void store(ListedFile task) throws IOException {
        Path target = SafeFiles.within(root, task.getRelativeFolder() + "/" + task.getSafeFileName());
        SafeFiles.moveInto(task.getDownloaded(), target);
        task.setStored(target);
    }
}
