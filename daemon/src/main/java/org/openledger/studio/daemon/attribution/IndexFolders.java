package org.openledger.studio.daemon.attribution;

import org.openledger.studio.store.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openledger.studio.store.CrashPoint;

/**
 * Where an adapter's influence index lives: {@code <adapter>/current} is the index served, {@code <adapter>/next}
 * the one being built (resumable in place). A finished build replaces {@code current} by two renames; a node that
 * stopped between them finds {@code old} and puts it back, so the previous index stays served until a new one is
 * complete.
 */
final class IndexFolders {

    private final Path root;

    IndexFolders(Path root) {
        this.root = root;
    }

    Path adapter(String adapter) {
        Path p = root.resolve(adapter).normalize();
        if (!p.getParent().equals(root.normalize())) {
            throw new IllegalArgumentException("'" + adapter + "' is not an adapter id");
        }
        return p;
    }

    Path current(String adapter) {
        return adapter(adapter).resolve("current");
    }

    Path next(String adapter) {
        return adapter(adapter).resolve("next");
    }

    /** Puts back an index a stop between the two renames left aside. */
    void recover(String adapter) throws IOException {
        Path old = adapter(adapter).resolve("old");
        if (Files.isDirectory(old)) {
            if (Files.isDirectory(current(adapter))) {
                Folders.deleteTree(old);
            } else {
                Files.move(old, current(adapter), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** Makes the finished build in {@code next} the served index. */
    void promote(String adapter) throws IOException {
        Path old = adapter(adapter).resolve("old");
        Folders.deleteTree(old);
        if (Files.isDirectory(current(adapter))) {
            Files.move(current(adapter), old, StandardCopyOption.ATOMIC_MOVE);
        }
        CrashPoint.reach("index.promote"); // between the two renames: no index is in current
        Files.move(next(adapter), current(adapter), StandardCopyOption.ATOMIC_MOVE);
        Folders.deleteTree(old);
    }
}
