package org.openledger.studio.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the studio and the node keep their files, following each OS's convention:
 * XDG base directories on Linux, {@code %APPDATA%}/{@code %LOCALAPPDATA%} on Windows and
 * {@code ~/Library/...} on macOS. A single root ({@code OPENLEDGER_STUDIO_HOME} or {@code --data-dir})
 * overrides all of them, which is what tests and portable installs use.
 */
public record AppDirs(Path config, Path data, Path cache, Path logs) {

    public static final String APP_NAME = "OpenLedger Studio";
    static final String UNIX_NAME = "openledger-studio";
    public static final String HOME_ENV = "OPENLEDGER_STUDIO_HOME";

    public AppDirs {
        Objects.requireNonNull(config);
        Objects.requireNonNull(data);
        Objects.requireNonNull(cache);
        Objects.requireNonNull(logs);
    }

    /** Everything under one folder: {@code root/config}, {@code root/data}, {@code root/cache}, {@code root/logs}. */
    public static AppDirs under(Path root) {
        Path r = root.toAbsolutePath().normalize();
        return new AppDirs(r.resolve("config"), r.resolve("data"), r.resolve("cache"), r.resolve("logs"));
    }

    /** The folders for this user on this machine. */
    public static AppDirs forCurrentUser() {
        return resolve(System.getenv(), System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")));
    }

    static AppDirs resolve(Map<String, String> env, String osName, Path home) {
        String override = env.get(HOME_ENV);
        if (override != null && !override.isBlank()) {
            return under(Path.of(override));
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            Path roaming = pathOr(env.get("APPDATA"), home.resolve("AppData").resolve("Roaming"));
            Path local = pathOr(env.get("LOCALAPPDATA"), home.resolve("AppData").resolve("Local"));
            Path localApp = local.resolve(APP_NAME);
            return new AppDirs(roaming.resolve(APP_NAME), localApp.resolve("Data"), localApp.resolve("Cache"),
                    localApp.resolve("Logs"));
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            Path library = home.resolve("Library");
            Path support = library.resolve("Application Support").resolve(APP_NAME);
            return new AppDirs(support, support, library.resolve("Caches").resolve(APP_NAME),
                    library.resolve("Logs").resolve(APP_NAME));
        }
        Path config = pathOr(env.get("XDG_CONFIG_HOME"), home.resolve(".config")).resolve(UNIX_NAME);
        Path data = pathOr(env.get("XDG_DATA_HOME"), home.resolve(".local").resolve("share")).resolve(UNIX_NAME);
        Path cache = pathOr(env.get("XDG_CACHE_HOME"), home.resolve(".cache")).resolve(UNIX_NAME);
        Path state = pathOr(env.get("XDG_STATE_HOME"), home.resolve(".local").resolve("state")).resolve(UNIX_NAME);
        return new AppDirs(config, data, cache, state.resolve("logs"));
    }

    /** XDG says relative paths in these variables are invalid and must be ignored. */
    private static Path pathOr(String value, Path fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Path p = Path.of(value);
        return p.isAbsolute() ? p : fallback;
    }

    /** The node's own folder inside the data folder. */
    public Path nodeData() {
        return data.resolve("node");
    }
}
