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
    public void store(ListedFile file) throws IOException {
        Path target = SafeFiles.within(root, file.getRelativeFolder() + "/" + file.getSafeFileName());
        SafeFiles.moveInto(file.getDownloaded(), target);
        file.setStored(target);
    }
}
