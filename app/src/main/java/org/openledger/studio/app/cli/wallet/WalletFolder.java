package org.openledger.studio.app.cli.wallet;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.wallet.Wallet;
import picocli.CommandLine.Option;

/** The wallet folder options shared by new, import and list: the studio's own ({@code <data>/wallet}) by default. */
final class WalletFolder {

    @Option(names = "--wallet-dir", description = "The wallet folder (default: <data folder>/wallet, the studio's).")
    Path walletDir;

    @Option(names = "--home", description = "The studio's home folder, as for `studio desktop --home` (also: "
            + "environment variable " + AppDirs.HOME_ENV + ").")
    Path home;

    Path folder() {
        if (walletDir != null) {
            return walletDir;
        }
        AppDirs dirs = home != null ? AppDirs.under(home) : AppDirs.forCurrentUser();
        return dirs.data().resolve("wallet");
    }

    Wallet open() {
        Path folder = folder();
        return CliSecrets.userErrors(() -> new Wallet(folder, CliSecrets.keystore(), Clock.systemUTC(),
                Duration.ofMinutes(5)));
    }
}
