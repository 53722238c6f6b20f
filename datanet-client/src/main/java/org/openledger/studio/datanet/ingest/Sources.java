package org.openledger.studio.datanet.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opening input files with messages a user can act on. */
final class Sources {

    private Sources() {
    }

    static InputStream open(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new IngestException(file + " is a folder; add the files inside it instead");
            }
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new IngestException("File not found: " + file, e);
        } catch (AccessDeniedException e) {
            throw new IngestException("Cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new IngestException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    static String name(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }
}
