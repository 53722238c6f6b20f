package org.openledger.studio.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path dir;

    private static final Migration CREATE = Migration.sql(1, "notes table",
            "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    private static final Migration ADD_COLUMN = Migration.sql(2, "note tags",
            "ALTER TABLE note ADD COLUMN tag TEXT");

    @Test
    void opensInWalModeAndAppliesMigrationsOnce() throws Exception {
        Path file = dir.resolve("a.db");
        try (Database db = Database.open(file, List.of(CREATE))) {
            assertEquals("wal", db.journalMode());
            assertEquals(1, db.userVersion());
            db.transaction(c -> c.createStatement().executeUpdate("INSERT INTO note(text) VALUES ('kept')"));
        }
        try (Database db = Database.open(file, List.of(CREATE, ADD_COLUMN))) {
            assertEquals(2, db.userVersion());
            String text = db.read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT text, tag FROM note")) {
                    rs.next();
                    return rs.getString(1) + "/" + rs.getString(2);
                }
            });
            assertEquals("kept/null", text);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void failedTransactionLeavesNothingBehind() {
        try (Database db = Database.open(dir.resolve("b.db"), List.of(CREATE))) {
            assertThrows(StorageException.class, () -> db.transaction(c -> {
                c.createStatement().executeUpdate("INSERT INTO note(text) VALUES ('one')");
                return c.createStatement().executeUpdate("INSERT INTO note(text) VALUES (NULL)");
            }));
            int count = db.read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM note")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertEquals(0, count);
        }
    }

    @Test
    void aFailingMigrationRollsBackAndKeepsTheOldVersion() throws SQLException {
        Path file = dir.resolve("c.db");
        Database.open(file, List.of(CREATE)).close();
        Migration broken = Migration.sql(2, "broken", "ALTER TABLE note ADD COLUMN tag TEXT", "SELECT * FROM nowhere");
        StorageException e = assertThrows(StorageException.class, () -> Database.open(file, List.of(CREATE, broken)));
        assertTrue(e.getMessage().contains("Migration 2 (broken)"), e.getMessage());
        try (Database db = Database.open(file, List.of(CREATE))) {
            assertEquals(1, db.userVersion());
            boolean hasTag = db.read(c -> {
                try (var rs = c.createStatement().executeQuery("PRAGMA table_info(note)")) {
                    while (rs.next()) {
                        if (rs.getString("name").equals("tag")) {
                            return true;
                        }
                    }
                    return false;
                }
            });
            assertFalse(hasTag);
        }
    }

    @Test
    void refusesADatabaseFromANewerProgramWithoutTouchingIt() throws Exception {
        Path file = dir.resolve("d.db");
        Database.open(file, List.of(CREATE, ADD_COLUMN)).close();
        byte[] before = Files.readAllBytes(file);
        StorageException e = assertThrows(StorageException.class, () -> Database.open(file, List.of(CREATE)));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
        assertEquals(before.length, Files.readAllBytes(file).length);
    }

    @Test
    void aFileThatIsNotADatabaseGetsAClearError() throws Exception {
        Path file = dir.resolve("e.db");
        Files.writeString(file, "this is not sqlite ".repeat(100), StandardCharsets.UTF_8);
        StorageException e = assertThrows(StorageException.class, () -> Database.open(file, List.of(CREATE)));
        assertTrue(e.getMessage().contains("not a SQLite database"), e.getMessage());
        assertTrue(Files.readString(file).startsWith("this is not sqlite"), "the user's file is left as it was");
    }

    @Test
    void anUnusableFolderIsNamedInTheError() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        StorageException e = assertThrows(StorageException.class,
                () -> Database.open(notAFolder.resolve("sub").resolve("f.db"), List.of(CREATE)));
        assertTrue(e.getMessage().contains(notAFolder.resolve("sub").toString()), e.getMessage());
    }

    @Test
    void migrationsMustBeConsecutive() {
        assertThrows(IllegalArgumentException.class,
                () -> Database.open(dir.resolve("f.db"), List.of(CREATE, Migration.sql(3, "gap", "SELECT 1"))));
    }

    @Test
    void atomicWriteReplacesWholeFile() throws Exception {
        Path target = dir.resolve("settings.json");
        Folders.writeAtomically(target, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), true);
        Folders.writeAtomically(target, "{\"b\":2}".getBytes(StandardCharsets.UTF_8), true);
        assertEquals("{\"b\":2}", Files.readString(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp files left behind");
        }
    }
}
