package org.openledger.studio.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppDirsTest {

    private final Path home = Path.of("/home/ada");

    @Test
    void linuxFollowsXdgDefaults() {
        AppDirs dirs = AppDirs.resolve(Map.of(), "Linux", home);
        assertEquals(Path.of("/home/ada/.config/openledger-studio"), dirs.config());
        assertEquals(Path.of("/home/ada/.local/share/openledger-studio"), dirs.data());
        assertEquals(Path.of("/home/ada/.cache/openledger-studio"), dirs.cache());
        assertEquals(Path.of("/home/ada/.local/state/openledger-studio/logs"), dirs.logs());
        assertEquals(Path.of("/home/ada/.local/share/openledger-studio/node"), dirs.nodeData());
    }

    @Test
    void linuxHonoursXdgVariablesButIgnoresRelativeOnes() {
        AppDirs dirs = AppDirs.resolve(Map.of("XDG_CONFIG_HOME", "/cfg", "XDG_DATA_HOME", "relative/data"),
                "Linux", home);
        assertEquals(Path.of("/cfg/openledger-studio"), dirs.config());
        assertEquals(Path.of("/home/ada/.local/share/openledger-studio"), dirs.data());
    }

    @Test
    void windowsUsesRoamingForConfigAndLocalForData() {
        AppDirs dirs = AppDirs.resolve(Map.of("APPDATA", "/C/Users/ada/AppData/Roaming",
                "LOCALAPPDATA", "/C/Users/ada/AppData/Local"), "Windows 11", home);
        assertEquals(Path.of("/C/Users/ada/AppData/Roaming/OpenLedger Studio"), dirs.config());
        assertEquals(Path.of("/C/Users/ada/AppData/Local/OpenLedger Studio/Data"), dirs.data());
    }

    @Test
    void macUsesApplicationSupport() {
        AppDirs dirs = AppDirs.resolve(Map.of(), "Mac OS X", home);
        assertEquals(Path.of("/home/ada/Library/Application Support/OpenLedger Studio"), dirs.config());
        assertEquals(Path.of("/home/ada/Library/Caches/OpenLedger Studio"), dirs.cache());
        assertEquals(Path.of("/home/ada/Library/Logs/OpenLedger Studio"), dirs.logs());
    }

    @Test
    void oneRootOverridesEverything() {
        AppDirs dirs = AppDirs.resolve(Map.of(AppDirs.HOME_ENV, "/tmp/studio", "XDG_CONFIG_HOME", "/cfg"),
                "Linux", home);
        assertEquals(Path.of("/tmp/studio/config"), dirs.config());
        assertEquals(Path.of("/tmp/studio/data"), dirs.data());
    }
}
