package org.openledger.studio.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** File-system operations that local state relies on: writable folders, atomic replacement, private files. */
public final class Folders {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private Folders() {
    }

    /**
     * Creates {@code dir} if needed and proves it is writable by creating and deleting a probe file.
     *
     * @throws StorageException naming the folder and the reason when it cannot be used
     */
    public static Path ensureWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
            Files.delete(probe);
            return dir;
        } catch (AccessDeniedException e) {
            throw new StorageException("The folder " + dir + " is not writable (permission denied)", e);
        } catch (FileSystemException e) {
            String reason = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
            throw new StorageException("The folder " + dir + " cannot be used: " + reason, e);
        } catch (IOException e) {
            throw new StorageException("The folder " + dir + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code bytes} to {@code target} so that a reader sees either the old or the new content, never a
     * torn file: write to a sibling temp file, force it to disk, then rename over the target.
     */
    public static void writeAtomically(Path target, byte[] bytes, boolean ownerOnly) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            if (ownerOnly) {
                restrictToOwner(tmp);
            }
            Files.write(tmp, bytes, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Makes a file readable and writable by its owner only, where the file system has POSIX permissions. */
    public static void restrictToOwner(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    /** Deletes {@code root} and everything under it; nothing happens when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** As {@link #deleteTree}, best effort: for temporary folders, where one left behind is harmless. */
    public static void deleteQuietly(Path root) {
        try {
            if (root != null) {
                deleteTree(root);
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // best effort
        }
    }
}
