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

    /** One call into a document library (PDFBox, POI) on a file's bytes. */
    interface LibraryCall<T, E extends Exception> {
        T call() throws E;
    }

    /**
     * Runs a call into a document library: such libraries meet some malformed files with runtime exceptions of their
     * own (found by fuzzing: a negative array size in PDFBox, an invalid part URI in POI), which are the file's
     * refusal like their {@link IOException}s. Only the library's calls run inside: our own chunker and sink do not,
     * so a failure of ours is never reported as a damaged file.
     *
     * @param refusal what the file is, e.g. "is not a readable PDF"; the library's reason is added after it
     */
    static <T, E extends Exception> T library(String name, String refusal, LibraryCall<T, E> call) throws E {
        try {
            return call.call();
        } catch (IngestException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IngestException(name + " " + refusal + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " in its structure)", e);
        }
    }
}
