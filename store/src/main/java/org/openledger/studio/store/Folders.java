package org.openledger.studio.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
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
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private Folders() {
    }

    /**
     * Creates {@code dir} and any missing parents owner-only ({@code rwx------} where the file system has POSIX
     * permissions), made so by the creating call itself: there is no moment when another user could open them.
     * Folders that exist already are left as they are.
     */
    public static Path createPrivateDirectories(Path dir) throws IOException {
        if (POSIX) {
            return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        }
        return Files.createDirectories(dir);
    }

    /**
     * Creates {@code dir} (owner-only, {@link #createPrivateDirectories}) if needed and proves it is writable by
     * creating and deleting a probe file.
     *
     * @throws StorageException naming the folder and the reason when it cannot be used
     */
    public static Path ensureWritable(Path dir) {
        try {
            createPrivateDirectories(dir);
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
     * torn file: write to a sibling temp file, force it to disk, then rename over the target. The temp file is
     * created owner-only ({@code rw-------}: {@link Files#createTempFile} on POSIX), so a secret is never readable
     * by others, not even for a moment; {@code ownerOnly} keeps it so where the file system could differ.
     */
    public static void writeAtomically(Path target, byte[] bytes, boolean ownerOnly) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            createPrivateDirectories(dir);
        }
        Path tmp = POSIX ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
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

    /**
     * Creates an empty file readable and writable by its owner only ({@code rw-------} where the file system has
     * POSIX permissions), made so by the creating call; an existing file is an error.
     */
    public static Path createPrivateFile(Path file) throws IOException {
        if (POSIX) {
            return Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        return Files.createFile(file);
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
