package io.invoiceharvester.delivery;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Puts a finished file in place so that a reader (or a crash) never meets half of it: its bytes are
 * synced, it is renamed in one step, and the folder is synced so the rename itself survives a power cut.
 */
public final class SafeFiles {

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
        sync(source);
        Path staged = target.resolveSibling("." + target.getFileName() + ".inprogress");
        Files.move(source, staged, StandardCopyOption.REPLACE_EXISTING);
        rename(staged, target);
    }

    /** Renames a finished, same-folder temporary file onto its name: file synced, rename, folder synced. */
    public static void replace(Path staged, Path target) throws IOException {
        sync(staged);
        rename(staged, target);
    }

    private static void rename(Path staged, Path target) throws IOException {
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncFolder(target.getParent());
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * Syncs a folder, so that a rename into it is on disk (POSIX: the entry lives in the folder). Where a
     * file system cannot open a folder for syncing (some network mounts), the rename stands unsynced.
     */
    public static void syncFolder(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported here: nothing more can be done
        }
    }
}
