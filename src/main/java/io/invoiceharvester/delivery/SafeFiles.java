package io.invoiceharvester.delivery;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Puts a finished file in place so that a reader (or a crash) never meets half of it. */
final class SafeFiles {

    private SafeFiles() {
    }

    /** Resolves a relative name under a root and proves it stays there. */
    static Path within(Path root, String relative) {
        Path base = root.toAbsolutePath().normalize();
        Path target = base.resolve(relative).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw new IllegalArgumentException("refusing a path outside " + base + ": " + relative);
        }
        return target;
    }

    /** Moves source to target: synced, then renamed in one step within target's folder. */
    static void moveInto(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Path staged = target.resolveSibling("." + target.getFileName() + ".inprogress");
        Files.move(source, staged, StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
