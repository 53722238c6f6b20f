package org.openledger.studio.app.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.openledger.studio.app.InProcessNode;
import org.openledger.studio.app.StudioViewTest;
import org.openledger.studio.store.AppDirs;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Wallet &amp; Staking against a node running its own devnet (real anvil, real contracts): create a wallet (24 words,
 * three asked back), get test OPEN from the faucet, stake through the review (approve, then stake; each signed, then
 * broadcast), and see the OPEN balance go down by the stake.
 */
class WalletViewTest extends StudioViewTest {

    private static final String TOKEN = "wallet-view-test-token-0123456789";

    @Test
    void createFaucetAndStakeThroughTheReview() throws Exception {
        // the node in this JVM with its chain: the same routes and devnet the child-process node has
        Path home = dir.resolve("home");
        window.open(AppDirs.under(home), InProcessNode.withDevnet(dir.resolve("node"), TOKEN));
        window.openWalletUntilChainReady();
        Label chain = robot.lookup("#wallet-chain").queryAs(Label.class);
        assertEquals("Chain: Local devnet (31337), ready", chain.getText());
        assertEquals(chain.getText(), robot.lookup("#status-chain").queryAs(Label.class).getText());

        // create: 24 words shown once, three of them asked back
        press("#wallet-create");
        List<String> words = new java.util.ArrayList<>();
        for (int i = 1; i <= 24; i++) {
            words.add(robot.lookup("#wallet-word-" + i).queryAs(Label.class).getText().replaceFirst("^\\d+\\. ", ""));
        }
        press("#wallet-phrase-done");
        List<Integer> asked = robot.lookup(n -> n instanceof Label l && l.getText() != null
                && l.getText().startsWith("Word #")).queryAllAs(Label.class).stream()
                .map(l -> Integer.parseInt(l.getText().substring(6))).sorted().toList();
        assertEquals(3, asked.size());
        // a wrong word is refused and nothing is created
        FxToolkit.setupFixture(() -> {
            for (int i = 0; i < 3; i++) {
                field("#wallet-confirm-" + i).setText(i == 0 ? "zoo" + words.get(asked.get(0) - 1) : words.get(
                        asked.get(i) - 1));
            }
            field("#wallet-new-password").setText("a long password");
            field("#wallet-new-password-repeat").setText("a long password");
        });
        press("#wallet-confirm-create");
        assertTrue(robot.lookup("#wallet-message").queryAs(Label.class).getText().contains("do not match"));
        FxToolkit.setupFixture(() -> {
            for (int i = 0; i < 3; i++) {
                field("#wallet-confirm-" + i).setText(words.get(asked.get(i) - 1));
            }
            field("#wallet-new-password").setText("a long password");
            field("#wallet-new-password-repeat").setText("a long password");
        });
        press("#wallet-confirm-create");
        @SuppressWarnings("unchecked")
        ListView<org.openledger.studio.wallet.Account> accounts = robot.lookup("#wallet-accounts").queryAs(ListView.class);
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> accounts.getItems().size() == 1
                && robot.lookup("#wallet-lock").queryButton().isDisabled() == false);
        String address = accounts.getItems().get(0).address().toString();

        // faucet, then stake 250 of the 1000 OPEN through the review
        Label open = robot.lookup("#wallet-open-balance").queryAs(Label.class);
        press("#wallet-faucet");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> open.getText().equals("1000 OPEN"));
        FxToolkit.setupFixture(() -> {
            ((TextField) robot.lookup("#wallet-stake-amount").query()).setText("250");
            ((TextField) robot.lookup("#wallet-stake-target").query()).setText("0x" + "0".repeat(62) + "2a");
        });
        press("#wallet-stake");
        Label call = waitForReview("OpenToken.approve");
        assertEquals(address, text("#wallet-review-from"));
        assertTrue(text("#wallet-review-to").contains("(OpenToken)"), text("#wallet-review-to"));
        assertTrue(text("#wallet-review-max-cost").matches("\\d+ gas × \\d+ wei max fee = .* ETH.*"),
                text("#wallet-review-max-cost"));
        assertEquals("Local devnet (31337)", text("#wallet-review-chain"));
        assertEquals("0", text("#wallet-review-nonce"));
        assertEquals("none", text("#wallet-review-warnings"));
        assertTrue(robot.lookup("#wallet-broadcast").queryButton().isDisabled(), "broadcast only after signing");
        press("#wallet-sign");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#wallet-signed-state").startsWith("Signed"));
        assertEquals("1000 OPEN", open.getText(), "signing sends nothing");
        press("#wallet-broadcast");

        waitForReview("StakingVault.stake");
        assertEquals("1", text("#wallet-review-nonce"));
        press("#wallet-sign");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#wallet-signed-state").startsWith("Signed"));
        press("#wallet-broadcast");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> open.getText().equals("750 OPEN"));
        assertFalse(robot.lookup("#wallet-review-panel").query().isVisible());

        // unstaking is reviewed the same way; the OPEN stays in the vault until the cooldown is over
        FxToolkit.setupFixture(() -> ((TextField) robot.lookup("#wallet-stake-amount").query()).setText("100"));
        press("#wallet-unstake");
        waitForReview("StakingVault.requestUnstake");
        assertEquals("2", text("#wallet-review-nonce"));
        press("#wallet-sign");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#wallet-signed-state").startsWith("Signed"));
        press("#wallet-broadcast");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#wallet-message").queryAs(Label.class)
                .getText().startsWith("Request to unstake 100 OPEN") && robot.lookup("#wallet-message")
                .queryAs(Label.class).getText().contains("mined"));
        assertEquals("750 OPEN", open.getText(), "requested OPEN stays in the vault until the cooldown is over");

        // the keys live in the studio's data folder, encrypted: the phrase is nowhere in clear
        Path walletDir = home.resolve("data/wallet");
        assertTrue(Files.exists(walletDir.resolve("accounts.json")));
        String phrase = String.join(" ", words);
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains(phrase), f.toString());
            }
        }
        try (Stream<Path> files = Files.walk(dir.resolve("node"))) {
            assertTrue(files.noneMatch(f -> f.toString().contains(address.substring(2).toLowerCase())
                    && f.getFileName().toString().startsWith("UTC--")), "no keystore of the user's on the node");
        }
    }

    private Label waitForReview(String function) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#wallet-review-panel").query().isVisible()
                && robot.lookup("#wallet-review-call").tryQuery().map(n -> ((Label) n).getText().startsWith(function))
                .orElse(false));
        return robot.lookup("#wallet-review-call").queryAs(Label.class);
    }

    private void press(String id) throws Exception {
        window.press(id);
    }

    private String text(String id) {
        return window.label(id);
    }

    private TextField field(String id) {
        return (PasswordField) robot.lookup(id).query();
    }
}
