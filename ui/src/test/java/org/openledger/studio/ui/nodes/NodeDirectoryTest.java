package org.openledger.studio.ui.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.store.Database;
import org.openledger.studio.ui.settings.StudioDatabase;

class NodeDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void remoteNodesPersistAcrossRestartsInAnOwnerOnlyFile() throws Exception {
        try (Database db = StudioDatabase.open(dir)) {
            NodeDirectory d = new NodeDirectory(db, Clock.systemUTC());
            d.add("H100 box", " https://gpu.example:8765/ ", "tok-123");
            d.add("", "http://10.0.0.7:8765", null);
        }
        try (Database db = StudioDatabase.open(dir)) {
            var remotes = new NodeDirectory(db, Clock.systemUTC()).remotes();
            assertEquals(2, remotes.size());
            assertEquals("H100 box", remotes.get(0).name());
            assertEquals(URI.create("https://gpu.example:8765"), remotes.get(0).url());
            assertEquals("tok-123", remotes.get(0).token());
            assertEquals("10.0.0.7", remotes.get(1).name(), "the host names a node left unnamed");
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("studio.db"))));
    }

    @Test
    void refusesBadUrlsAndDuplicatesWithAReason() {
        try (Database db = StudioDatabase.open(dir)) {
            NodeDirectory d = new NodeDirectory(db, Clock.systemUTC());
            var blank = assertThrows(IllegalArgumentException.class, () -> d.add("x", "  ", null));
            assertTrue(blank.getMessage().contains("Enter the node's URL"));
            var ftp = assertThrows(IllegalArgumentException.class, () -> d.add("x", "ftp://box", null));
            assertTrue(ftp.getMessage().contains("not an http:// or https:// URL"), ftp.getMessage());
            d.add("a", "http://box:1", null);
            var dup = assertThrows(IllegalArgumentException.class, () -> d.add("b", "http://box:1/", null));
            assertTrue(dup.getMessage().contains("already in the list"), dup.getMessage());
            assertEquals(1, d.remotes().size());
        }
    }

    @Test
    void removesOnlyTheNamedNode() {
        try (Database db = StudioDatabase.open(dir)) {
            NodeDirectory d = new NodeDirectory(db, Clock.systemUTC());
            NodeEntry a = d.add("a", "http://a:1", null);
            d.add("b", "http://b:1", null);
            assertTrue(d.remove(a.id()));
            assertEquals("b", d.remotes().get(0).name());
            assertEquals(1, d.remotes().size());
        }
    }
}
