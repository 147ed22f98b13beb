package io.invoiceharvester.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a killed run left half-written: downloads in {output}/.tmp, staged '.…inprogress'
 * files under the output folder, and '.inprogress-' temporaries in a file: drop. Their files were
 * never recorded, so the next run fetches or delivers them again.
 */
public class Leftovers {

    private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);

    private final List<Path> roots;

    /** @param localDrop the drop folder when the drop is file:, else null */
    public Leftovers(Path outputDir, Path localDrop) {
        this.roots = localDrop == null ? List.of(outputDir) : List.of(outputDir, localDrop);
    }

    public int sweep() throws IOException {
        int removed = 0;
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            List<Path> stale;
            try (Stream<Path> files = Files.walk(root)) {
                stale = files.filter(Files::isRegularFile).filter(Leftovers::isTemporary).toList();
            }
            for (Path p : stale) {
                Files.deleteIfExists(p);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.warn("removed {} half-written files left by an interrupted run", removed);
        }
        return removed;
    }

    static boolean isTemporary(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".inprogress-") || name.startsWith(".") && name.endsWith(".inprogress")
                || name.endsWith(".part") && p.getParent() != null && p.getParent().getFileName().toString().equals(".tmp");
    }
}
