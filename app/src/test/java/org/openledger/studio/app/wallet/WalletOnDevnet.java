package org.openledger.studio.app.wallet;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.openledger.studio.app.InProcessNode;
import org.openledger.studio.app.cli.wallet.NodeChain;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.ui.nodes.ConnectionState;
import org.openledger.studio.wallet.Account;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole studio on a node in this JVM that runs its own devnet (real anvil, real contracts), opened on Wallet
 * &amp; Staking, with what the wallet view tests do to it: import a fresh key, unlock it, take OPEN from the faucet,
 * press buttons and read labels (on the FX thread, where the view rebuilds its rows).
 */
final class WalletOnDevnet {

    private final FxRobot robot = new FxRobot();
    private Stage stage;
    private String keyHex;

    /** Opens the studio with its home under {@code dir} and waits until its node is connected and its chain ready. */
    Desktop open(Path dir, String token) throws Exception {
        Path data = dir.resolve("node");
        InProcessNode local = new InProcessNode(data, token, () -> NodeChain.attach(NodeServices.none(), null, null,
                data));
        AtomicReference<Desktop> d = new AtomicReference<>();
        FxToolkit.setupFixture(() -> {
            stage = new Stage();
            d.set(Desktop.open(stage, AppDirs.under(dir.resolve("home")), (dirs, http) -> local));
        });
        Desktop desktop = d.get();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> desktop.nodes().localRow().state() == ConnectionState.CONNECTED);
        robot.clickOn("#nav-wallet");
        Label chain = robot.lookup("#wallet-chain").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> chain.getText().endsWith("ready"));
        return desktop;
    }

    /** The studio's window. */
    Stage stage() {
        return stage;
    }

    /** Closes the studio's window (and so its node). */
    void close() throws Exception {
        if (stage != null) {
            FxToolkit.setupFixture(stage::close);
        }
    }

    /**
     * Imports a fresh random key (its first byte {@code first}, well below the curve order) under {@code password},
     * unlocks it and takes the faucet's 1000 OPEN; the wallet then holds this one account.
     */
    Account importFundedKey(byte first, String password) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        key[0] = first;
        keyHex = HexFormat.of().formatHex(key);
        press("#wallet-import");
        FxToolkit.setupFixture(() -> {
            robot.lookup("#wallet-import-kind").queryAs(ChoiceBox.class).getSelectionModel().select(1);
            field("#wallet-import-secret").setText(HexFormat.of().formatHex(key));
            field("#wallet-import-password").setText(password);
        });
        press("#wallet-import-go");
        @SuppressWarnings("unchecked")
        ListView<Account> accounts = robot.lookup("#wallet-accounts").queryAs(ListView.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> accounts.getItems().size() == 1);
        unlock(password);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !button("#wallet-lock").isDisabled());
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

    Button button(String id) {
        return robot.lookup(id).queryButton();
    }

    TextField field(String id) {
        return (TextField) robot.lookup(id).query();
    }

    /** Fires a button as a click would (it may be scrolled out of the small test window). */
    void press(String id) throws Exception {
        Button b = button(id);
        assertFalse(b.isDisabled(), id + " is disabled");
        FxToolkit.setupFixture(b::fire);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The label's text, or "" while it is not in the scene (rows are rebuilt as data arrives). */
    String text(String id) {
        return onFx(() -> robot.lookup(id).tryQuery().map(n -> ((Label) n).getText()).orElse(""));
    }

    boolean has(String id) {
        return onFx(() -> robot.lookup(id).tryQuery().isPresent());
    }

    /** Reads on the FX thread: the view's grids are rebuilt there while the test reads them. */
    static <T> T onFx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
