package org.openledger.studio.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders are made rwx------ and private files rw------- by the creating call (POSIX only). */
class PrivateFilesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void posix() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void foldersAndTheirNewParentsAreOwnerOnly() throws Exception {
        Path data = dir.resolve("a").resolve("b").resolve("data");
        Folders.ensureWritable(data);
        assertEquals("rwx------", mode(dir.resolve("a")));
        assertEquals("rwx------", mode(dir.resolve("a").resolve("b")));
        assertEquals("rwx------", mode(data));
    }

    @Test
    void atomicWritesAreOwnerOnlyWhateverTheUmask() throws Exception {
        Path token = dir.resolve("node").resolve("token");
        Folders.writeAtomically(token, "secret-token".getBytes(), true);
        assertEquals("rw-------", mode(token));
        assertEquals("rwx------", mode(token.getParent()));
        Path settings = dir.resolve("settings.json");
        Folders.writeAtomically(settings, "{}".getBytes(), false);
        assertEquals("rw-------", mode(settings));
    }

    @Test
    void databasesAndTheirLogsAreOwnerOnlyFromTheStart() throws Exception {
        Path file = dir.resolve("db").resolve("x.db");
        try (Database db = Database.open(file, List.of(Migration.sql(1, "t", "CREATE TABLE t (a INTEGER)")))) {
            assertEquals("rw-------", mode(file));
            assertEquals("rwx------", mode(file.getParent()));
            for (Path p : Files.list(file.getParent()).toList()) {
                assertEquals("rw-------", mode(p), p.toString());
            }
        }
    }
}
