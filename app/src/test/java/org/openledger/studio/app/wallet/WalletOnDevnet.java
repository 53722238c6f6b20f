package org.openledger.studio.app.wallet;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ListView;
import org.openledger.studio.app.FreshKey;
import org.openledger.studio.app.InProcessNode;
import org.openledger.studio.app.StudioWindow;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.wallet.Account;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole studio on a node in this JVM that runs its own devnet (real anvil, real contracts), opened on Wallet
 * &amp; Staking, with what the wallet view tests do to it: import a fresh key, unlock it, take OPEN from the faucet.
 * A {@link StudioWindow}: register it with {@code @RegisterExtension}, and it closes the studio after each test.
 */
final class WalletOnDevnet extends StudioWindow {

    private String keyHex;

    private static final String TOKEN = "wallet-on-devnet-token-0123456789";

    /** Opens the studio with its home under {@code dir} and waits until its node is connected and its chain ready. */
    Desktop open(Path dir) throws Exception {
        Desktop desktop = open(AppDirs.under(dir.resolve("home")),
                InProcessNode.withDevnet(dir.resolve("node"), TOKEN));
        openWalletUntilChainReady();
        return desktop;
    }

    /**
     * Imports a fresh random key (its first byte {@code first}, well below the curve order) under {@code password},
     * unlocks it and takes the faucet's 1000 OPEN; the wallet then holds this one account.
     */
    Account importFundedKey(byte first, String password) throws Exception {
        keyHex = FreshKey.hex(first);
        press("#wallet-import");
        FxToolkit.setupFixture(() -> {
            robot().lookup("#wallet-import-kind").queryAs(ChoiceBox.class).getSelectionModel().select(1);
            field("#wallet-import-secret").setText(keyHex);
            field("#wallet-import-password").setText(password);
        });
        press("#wallet-import-go");
        @SuppressWarnings("unchecked")
        ListView<Account> accounts = robot().lookup("#wallet-accounts").queryAs(ListView.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> accounts.getItems().size() == 1);
        unlockAndWait(password);
        press("#wallet-faucet");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> text("#wallet-open-balance").equals("1000 OPEN"));
        return accounts.getItems().get(0);
    }

    /** The private key {@link #importFundedKey} imported, as 64 hex digits (to sign with foundry's cast in tests). */
    String keyHex() {
        return keyHex;
    }

    void unlock(String password) throws Exception {
        FxToolkit.setupFixture(() -> field("#wallet-password").setText(password));
        press("#wallet-unlock");
    }
}
