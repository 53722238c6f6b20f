package org.openledger.studio.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void roundTripsEverySetting() throws Exception {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"), clock);
        Settings s = new Settings("dark", new Settings.WindowBounds(10.0, 20.0, 1000, 700, true), "WALLET", "node-1");
        store.save(s);
        SettingsStore.Loaded loaded = store.load();
        assertEquals(s, loaded.settings());
        assertTrue(loaded.notice().isEmpty());
    }

    @Test
    void noFileMeansDefaultsWithoutANotice() {
        SettingsStore.Loaded loaded = new SettingsStore(dir.resolve("settings.json"), clock).load();
        assertEquals(Settings.defaults(), loaded.settings());
        assertTrue(loaded.notice().isEmpty());
    }

    @Test
    void aDamagedFileIsKeptAsideAndNamedInTheNotice() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{\"theme\": \"dark\", \"window\": {");
        SettingsStore.Loaded loaded = new SettingsStore(file, clock).load();
        assertEquals(Settings.defaults(), loaded.settings());
        Path kept = dir.resolve("settings.json.unreadable-20261124-100000");
        assertTrue(loaded.notice().orElseThrow().contains(kept.toString()), loaded.notice().get());
        assertEquals("{\"theme\": \"dark\", \"window\": {", Files.readString(kept), "the user's bytes are kept");
        assertFalse(Files.exists(file));
    }

    @Test
    void missingOrNonsenseFieldsFallBackToDefaults() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{\"theme\": \"purple\", \"window\": {\"width\": 5, \"height\": 5}, \"unknown\": 1}");
        Settings s = new SettingsStore(file, clock).load().settings();
        assertEquals("light", s.theme());
        assertEquals(Settings.WindowBounds.DEFAULT, s.window());
        assertEquals("NODES", s.section());
        assertEquals(Settings.LOCAL_NODE, s.activeNodeId());
    }

    @Test
    void aJsonNullDocumentIsTreatedAsDamaged() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "null");
        SettingsStore.Loaded loaded = new SettingsStore(file, clock).load();
        assertEquals(Settings.defaults(), loaded.settings());
        assertTrue(loaded.notice().isPresent());
    }
}
