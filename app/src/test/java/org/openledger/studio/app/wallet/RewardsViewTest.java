package org.openledger.studio.app.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.rewards.CreditRequest;
import org.openledger.studio.api.rewards.RewardCredit;
import org.openledger.studio.app.InProcessNode;
import org.openledger.studio.app.cli.wallet.NodeChain;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.ui.nodes.ConnectionState;
import org.openledger.studio.ui.nodes.LocalNode;
import org.openledger.studio.wallet.Account;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Rewards panel of Wallet &amp; Staking against a node with its own devnet (real anvil, real contracts, the real
 * reward ledger): the node's operator credits the account and settles an epoch through the node's API; the panel
 * shows the claimable OPEN (read in the background), Claim opens the wallet's review of
 * {@code RewardDistributor.claim}, and once it is signed and broadcast the OPEN balance goes up by exactly the credit
 * and nothing is left to claim.
 */
class RewardsViewTest {

    private static final String TOKEN = "rewards-view-test-token-0123456789";
    private static final String PASSWORD = "a long password";

    @TempDir
    Path dir;

    private final FxRobot robot = new FxRobot();
    private Stage stage;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() throws Exception {
        if (stage != null) {
            FxToolkit.setupFixture(stage::close);
        }
    }

    @Test
    void creditSettleAndClaimFromTheView() throws Exception {
        Path data = dir.resolve("node");
        LocalNode local = new InProcessNode(data, TOKEN, () -> NodeChain.attach(NodeServices.none(), null, null,
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
        NodeClient node = desktop.nodes().activeClient().orElseThrow();

        // import a fresh key, unlock, faucet (gas money and 1000 OPEN)
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        key[0] = 0x23;
        press("#wallet-import");
        FxToolkit.setupFixture(() -> {
            robot.lookup("#wallet-import-kind").queryAs(ChoiceBox.class).getSelectionModel().select(1);
            ((TextField) robot.lookup("#wallet-import-secret").query()).setText(HexFormat.of().formatHex(key));
            ((TextField) robot.lookup("#wallet-import-password").query()).setText(PASSWORD);
        });
        press("#wallet-import-go");
        @SuppressWarnings("unchecked")
        ListView<Account> accounts = robot.lookup("#wallet-accounts").queryAs(ListView.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> accounts.getItems().size() == 1);
        String address = accounts.getItems().get(0).address().toString();
        FxToolkit.setupFixture(() -> ((TextField) robot.lookup("#wallet-password").query()).setText(PASSWORD));
        press("#wallet-unlock");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !button("#wallet-lock").isDisabled());
        Label open = robot.lookup("#wallet-open-balance").queryAs(Label.class);
        press("#wallet-faucet");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> open.getText().equals("1000 OPEN"));

        // nothing owed yet: the panel says so, Claim is off
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#wallet-rewards-claimable").equals("0 OPEN"));
        assertTrue(text("#wallet-rewards-detail").contains("No reward epoch is posted"),
                text("#wallet-rewards-detail"));
        assertTrue(button("#wallet-rewards-claim").isDisabled());

        // the node's operator credits 12.5 OPEN and settles an epoch
        node.addRewardCredits(CreditRequest.of(List.of(RewardCredit.of(address, "12500000000000000000",
                "view test"))));
        assertEquals(1, node.settleRewards().epoch());
        press("#wallet-rewards-refresh");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#wallet-rewards-claimable").equals("12.5 OPEN"));
        assertEquals("Epoch 1: 12.5 OPEN earned in all, 0 OPEN claimed", text("#wallet-rewards-detail"));

        // claim through the wallet's review: sign, then broadcast; the balance goes up by exactly the credit
        press("#wallet-rewards-claim");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#wallet-review-panel").query().isVisible()
                && text("#wallet-review-call").startsWith("RewardDistributor.claim("));
        assertEquals(address, text("#wallet-review-from"));
        assertTrue(text("#wallet-review-to").contains("(RewardDistributor)"), text("#wallet-review-to"));
        assertTrue(text("#wallet-review-call").contains("12500000000000000000"), text("#wallet-review-call"));
        assertTrue(text("#wallet-review-title").contains("Claim 12.5 OPEN of rewards (epoch 1)"),
                text("#wallet-review-title"));
        assertTrue(button("#wallet-rewards-claim").isDisabled(), "one claim at a time");
        press("#wallet-sign");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#wallet-signed-state").startsWith("Signed"));
        assertEquals("1000 OPEN", open.getText(), "signing sends nothing");
        press("#wallet-broadcast");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> open.getText().equals("1012.5 OPEN"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#wallet-rewards-outcome").startsWith(
                "Received 12.5 OPEN in block "));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#wallet-rewards-claimable").equals("0 OPEN")
                && text("#wallet-rewards-detail").equals("Epoch 1: 12.5 OPEN earned in all, 12.5 OPEN claimed"));
        assertTrue(button("#wallet-rewards-claim").isDisabled(), "nothing left to claim");
        assertEquals("12500000000000000000", node.rewardProof(address).claimedWei());
        assertFalse(robot.lookup("#wallet-review-panel").query().isVisible());
    }

    private Button button(String id) {
        return robot.lookup(id).queryButton();
    }

    /** Fires a button as a click would (it may be scrolled out of the small test window). */
    private void press(String id) throws Exception {
        Button b = button(id);
        assertFalse(b.isDisabled(), id + " is disabled");
        FxToolkit.setupFixture(b::fire);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The label's text, or "" while it is not in the scene. */
    private String text(String id) {
        return robot.lookup(id).tryQuery().map(n -> ((Label) n).getText()).orElse("");
    }
}
