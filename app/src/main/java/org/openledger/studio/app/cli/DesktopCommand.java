package org.openledger.studio.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openledger.studio.app.desktop.DesktopLauncher;
import org.openledger.studio.store.AppDirs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code studio desktop} (also {@code studio} alone): the desktop studio. */
@Command(name = "desktop", mixinStandardHelpOptions = true,
        description = "Open the desktop studio (the default when no command is given).")
public final class DesktopCommand implements Callable<Integer> {

    @Option(names = "--home", description = "Keep settings, data, cache and logs under this one folder instead of "
            + "the OS folders (also: environment variable " + AppDirs.HOME_ENV + ").")
    Path home;

    @Option(names = "--measure-startup", hidden = true,
            description = "Write startup figures as JSON to this file, then close (used by `studio bench startup`).")
    Path measureStartup;

    @Option(names = "--idle-seconds", hidden = true, defaultValue = "10",
            description = "With --measure-startup: seconds to idle before measuring memory.")
    int idleSeconds;

    @Option(names = "--baseline", hidden = true,
            description = "With --measure-startup: show a bare JavaFX window instead (the benchmark's baseline).")
    boolean baseline;

    @Override
    public Integer call() {
        AppDirs dirs = home != null ? AppDirs.under(home) : AppDirs.forCurrentUser();
        // DesktopLauncher is the first class that touches JavaFX: the headless commands never load it
        return DesktopLauncher.run(dirs, measureStartup, idleSeconds, baseline);
    }
}
