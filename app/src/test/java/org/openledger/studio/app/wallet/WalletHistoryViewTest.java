package org.openledger.studio.app.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import org.junit.jupiter.api.Test;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.ui.wallet.WalletViewModel;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.FeeSuggestion;
import org.openledger.studio.wallet.chain.NonceBook;
import org.openledger.studio.wallet.chain.Outbox;
import org.openledger.studio.wallet.devnet.Devnet;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * Wallet &amp; Staking after the stake, on a node's real devnet: the fee level changes the review's maximum cost;
 * a requested unstake shows a cooldown timer on the chain's clock and a disabled Withdraw, which turns on once the
 * chain's time is moved past the cooldown and pays the OPEN back through the review; the history lists every
 * transaction with its status and decoded call; with mining paused, a pending transaction is sped up and another
 * cancelled (replacements reviewed like any transaction); the password is changed (the old one then fails); a
 * watch-only address shows its balance with signing turned off and saying why.
 */
class WalletHistoryViewTest extends OnDevnetViewTest {

    private static final String TARGET = "0x" + "0".repeat(62) + "2a";
    /** anvil's test account 1: 10000 ETH, never used by the devnet. */
    private static final String WATCHED = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    private String rpc;

    @Test
    void withdrawAfterTheCooldownHistorySpeedUpCancelPasswordAndWatchOnly() throws Exception {
        Desktop desktop = ui.open(dir);
        rpc = desktop.nodes().activeClient().orElseThrow().chain().rpcUrl();

        // import a fresh key, unlock, faucet
        ui.importFundedKey((byte) 0x22, PASSWORD);
        @SuppressWarnings("unchecked")
        ListView<Account> accounts = robot.lookup("#wallet-accounts").queryAs(ListView.class);
        Label open = robot.lookup("#wallet-open-balance").queryAs(Label.class);

        // stake 250: the approval's review at normal, then fast, fees; fast raises the maximum cost
        FxToolkit.setupFixture(() -> {
            ui.field("#wallet-stake-amount").setText("250");
            ui.field("#wallet-stake-target").setText(TARGET);
        });
        ui.press("#wallet-stake");
        waitForReview("OpenToken.approve");
        @SuppressWarnings("unchecked")
        ChoiceBox<FeeSuggestion.Speed> fee = robot.lookup("#wallet-fee").queryAs(ChoiceBox.class);
        assertEquals(FeeSuggestion.Speed.NORMAL, fee.getValue());
        BigInteger normalMax = maxFee();
        String normalCost = ui.text("#wallet-review-max-cost");
        FxToolkit.setupFixture(() -> fee.getSelectionModel().select(FeeSuggestion.Speed.FAST));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !ui.text("#wallet-review-max-cost").equals(normalCost));
        assertTrue(maxFee().compareTo(normalMax) > 0, normalMax + " -> " + ui.text("#wallet-review-max-cost"));
        assertEquals(FeeSuggestion.Speed.FAST, fee.getValue());
        confirm();
        waitForReview("StakingVault.stake");
        confirm();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> open.getText().equals("750 OPEN"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.has("#wallet-stake-active-0")
                && ui.text("#wallet-stake-active-0").equals("250 OPEN"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> ui.text("#wallet-stake-target-0")
                .startsWith("datanet 0x00000000"));

        // request to unstake 100: a timer counts down on the chain's clock; Withdraw stays off
        FxToolkit.setupFixture(() -> ui.field("#wallet-stake-amount").setText("100"));
        ui.press("#wallet-unstake");
        waitForReview("StakingVault.requestUnstake");
        confirm();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> ui.text("#wallet-stake-unbonding-0").equals("100 OPEN"));
        waitText("#wallet-stake-active-0", "150 OPEN");
        Pattern timer = Pattern.compile("2d 23:59:\\d\\d left");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> timer.matcher(ui.text("#wallet-countdown-0")).matches());
        String first = ui.text("#wallet-countdown-0");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !ui.text("#wallet-countdown-0").equals(first)
                && timer.matcher(ui.text("#wallet-countdown-0")).matches());
        assertTrue(ui.button("#wallet-withdraw-0").isDisabled(), "no withdraw during the cooldown");

        // the chain's time moves past the cooldown (3 days): Withdraw turns on and pays the 100 OPEN back
        rpc("evm_increaseTime", 3 * 86_400 + 1);
        rpc("evm_mine");
        ui.press("#wallet-refresh");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !ui.button("#wallet-withdraw-0").isDisabled());
        waitText("#wallet-countdown-0", "ready to withdraw");
        ui.press("#wallet-withdraw-0");
        waitForReview("StakingVault.withdraw");
        confirm();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> open.getText().equals("850 OPEN"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#wallet-stake-unbonding-0").equals("0 OPEN")
                && ui.text("#wallet-countdown-0").equals("–"));

        // the history: every transaction, newest first, confirmed, decoded
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.has("#wallet-history-nonce-3")
                && ui.text("#wallet-history-call-0").equals("StakingVault.withdraw"));
        List<String> calls = List.of("StakingVault.withdraw", "StakingVault.requestUnstake", "StakingVault.stake",
                "OpenToken.approve");
        for (int i = 0; i < calls.size(); i++) {
            waitText("#wallet-history-call-" + i, calls.get(i));
            waitText("#wallet-history-status-" + i, "confirmed");
            waitText("#wallet-history-nonce-" + i, String.valueOf(calls.size() - 1 - i));
        }
        assertFalse(ui.has("#wallet-speedup-0"), "nothing to speed up once mined");

        // mining paused: a pending request is sped up through the review; only the replacement is mined
        rpc("evm_setAutomine", false);
        FxToolkit.setupFixture(() -> ui.field("#wallet-stake-amount").setText("50"));
        ui.press("#wallet-unstake");
        waitForReview("StakingVault.requestUnstake");
        confirm();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.has("#wallet-speedup-0")
                && ui.text("#wallet-history-status-0").equals("pending"));
        String original = hashAt(0);
        ui.press("#wallet-speedup-0");
        waitForReview("StakingVault.requestUnstake");
        assertEquals("4", ui.text("#wallet-review-nonce"), "the same nonce as the pending one");
        assertTrue(ui.text("#wallet-review-replaces").startsWith(original), ui.text("#wallet-review-replaces"));
        confirm();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.has("#wallet-history-status-1")
                && ui.text("#wallet-history-status-0").equals("pending")
                && ui.text("#wallet-history-status-1").equals("pending"));
        rpc("evm_mine");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> ui.text("#wallet-history-status-0").equals("confirmed")
                && ui.text("#wallet-history-status-1").equals("replaced"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> original.equals(hashAt(1)));
        assertNotEquals(original, hashAt(0));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#wallet-stake-unbonding-0").equals("50 OPEN"));

        // and a pending request cancelled: nothing to self with the same nonce is mined instead
        FxToolkit.setupFixture(() -> ui.field("#wallet-stake-amount").setText("10"));
        ui.press("#wallet-unstake");
        waitForReview("StakingVault.requestUnstake");
        confirm();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.has("#wallet-cancel-tx-0")
                && ui.text("#wallet-history-status-0").equals("pending"));
        ui.press("#wallet-cancel-tx-0");
        waitForReview("none");
        assertEquals("5", ui.text("#wallet-review-nonce"));
        confirm();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.has("#wallet-history-status-1")
                && ui.text("#wallet-history-call-0").equals("nothing to self"));
        rpc("evm_mine");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> ui.text("#wallet-history-status-0").equals("confirmed")
                && ui.text("#wallet-history-status-1").equals("replaced"));
        rpc("evm_setAutomine", true);
        ui.press("#wallet-refresh");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#wallet-stake-unbonding-0").equals("50 OPEN")
                && ui.text("#wallet-stake-active-0").equals("100 OPEN"));

        // the studio stopped between signing and broadcasting (signed here, on the studio's own wallet files, and
        // never sent): the history offers the saved transaction; Send broadcasts those bytes, Discard frees the nonce
        Address me = accounts.getItems().get(0).address();
        long chainId = desktop.nodes().activeClient().orElseThrow().chain().chainId();
        String saved = signWithoutSending(me, chainId, 1);
        ui.press("#wallet-refresh");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> saved.equals(hashAt(0))
                && ui.text("#wallet-history-status-0").equals("signed, not sent") && ui.has("#wallet-send-saved-0"));
        assertEquals("6", ui.text("#wallet-history-nonce-0"));
        ui.press("#wallet-send-saved-0");
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> saved.equals(hashAt(0))
                    && ui.text("#wallet-history-status-0").equals("confirmed"));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("row 0: " + hashAt(0) + " " + ui.text("#wallet-history-status-0") + "; message: "
                    + message(), e);
        }
        assertFalse(ui.has("#wallet-send-saved-0"));
        String dropped = signWithoutSending(me, chainId, 2);
        ui.press("#wallet-refresh");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> dropped.equals(hashAt(0))
                && ui.has("#wallet-discard-saved-0"));
        ui.press("#wallet-discard-saved-0");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#wallet-history-status-0").equals("dropped"));
        assertEquals(BigInteger.valueOf(7), nonceOnChain(me), "sent once, the discarded one never");

        // change the password: a wrong old one is refused; afterwards the old one fails and the new one unlocks
        ui.press("#wallet-change-password");
        FxToolkit.setupFixture(() -> {
            ui.field("#wallet-old-password").setText("not the password");
            ui.field("#wallet-changed-password").setText("another long password");
            ui.field("#wallet-changed-password-repeat").setText("another long password");
        });
        ui.press("#wallet-change-password-go");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> message().contains("Wrong password"));
        FxToolkit.setupFixture(() -> {
            ui.field("#wallet-old-password").setText(PASSWORD);
            ui.field("#wallet-changed-password").setText("another long password");
            ui.field("#wallet-changed-password-repeat").setText("another long password");
        });
        ui.press("#wallet-change-password-go");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> message().startsWith("Password changed"));
        assertTrue(ui.button("#wallet-lock").isDisabled(), "locked after the change");
        ui.unlock(PASSWORD);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> message().contains("Wrong password"));
        assertTrue(ui.button("#wallet-lock").isDisabled(), "the old password no longer unlocks");
        ui.unlock("another long password");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !ui.button("#wallet-lock").isDisabled());

        // a watch-only address: its balance, and every signing action off, saying why
        ui.press("#wallet-watch");
        FxToolkit.setupFixture(() -> {
            ui.field("#wallet-watch-address").setText(WATCHED);
            ui.field("#wallet-watch-label").setText("cold storage");
        });
        ui.press("#wallet-watch-go");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> accounts.getItems().size() == 2
                && accounts.getSelectionModel().getSelectedItem() != null
                && accounts.getSelectionModel().getSelectedItem().address().toString().equals(WATCHED));
        Label gas = robot.lookup("#wallet-gas-balance").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> gas.getText().equals("10000 ETH"));
        for (String id : List.of("#wallet-unlock", "#wallet-stake", "#wallet-unstake", "#wallet-export")) {
            Button b = ui.button(id);
            assertTrue(b.isDisabled(), id + " is off for a watch-only address");
            assertEquals(WalletViewModel.WATCH_ONLY_REASON, b.getTooltip().getText(), id);
        }
        assertTrue(robot.lookup("#wallet-watch-only").query().isVisible());
        assertFalse(ui.has("#wallet-history-nonce-0"), "no history: this wallet never signed for it");
    }

    /** Signs a call of nothing to the watched address with the studio's own wallet files, saves it, sends nothing. */
    private String signWithoutSending(Address from, long chainId, int n) throws Exception {
        Wallet w = new Wallet(AppDirs.under(dir.resolve("home")).data().resolve("wallet"),
                new Keystore(ScryptParams.STANDARD, new SecureRandom()), java.time.Clock.systemUTC(),
                java.time.Duration.ofMinutes(5));
        w.unlock(from, Secret.of(PASSWORD.toCharArray()));
        try (ChainClient client = new ChainClient(rpc, chainId, Devnet.revertDecoder());
             NonceBook book = NonceBook.open(AppDirs.under(dir.resolve("home")).data().resolve("wallet")
                     .resolve("transactions.db"), java.time.Clock.systemUTC())) {
            Outbox outbox = new Outbox(client, book, w);
            return outbox.sign(from, outbox.prepare(from, Address.parse(WATCHED), BigInteger.ZERO, null,
                    FeeSuggestion.Speed.NORMAL), "saved " + n).hash();
        } finally {
            w.lock();
        }
    }

    private BigInteger nonceOnChain(Address a) throws Exception {
        try (ChainClient client = new ChainClient(rpc, 31337, Devnet.revertDecoder())) {
            return client.nonce(a, false);
        }
    }

    /** Signs, waits for the signature, broadcasts. */
    private void confirm() throws Exception {
        ui.press("#wallet-sign");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#wallet-signed-state").startsWith("Signed"));
        ui.press("#wallet-broadcast");
        // sent: the review closes (or already shows the next step, which is not signed yet)
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !robot.lookup("#wallet-review-panel").query()
                    .isVisible() || !ui.text("#wallet-signed-state").startsWith("Signed"));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not broadcast: " + message(), e);
        }
    }

    /** The max fee per gas the review shows (read once the review's lines are filled in). */
    private BigInteger maxFee() throws Exception {
        Pattern p = Pattern.compile("\\d+ gas × (\\d+) wei max fee.*");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> p.matcher(ui.text("#wallet-review-max-cost")).matches());
        Matcher m = p.matcher(ui.text("#wallet-review-max-cost"));
        assertTrue(m.matches(), ui.text("#wallet-review-max-cost"));
        return new BigInteger(m.group(1));
    }

    private void waitForReview(String call) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#wallet-review-panel").query().isVisible()
                && robot.lookup("#wallet-review-call").tryQuery().map(n -> ((Label) n).getText().startsWith(call))
                .orElse(false));
    }

    private void rpc(String method, Object... params) throws Exception {
        var response = new Request<>(method, List.of(params), new HttpService(rpc), VoidResponse.class).send();
        assertFalse(response.hasError(), () -> method + ": " + response.getError().getMessage());
    }

    /** Waits for the label to show {@code expected}, then says what it shows if it never does. */
    private void waitText(String id, String expected) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> ui.text(id).equals(expected));
        } catch (java.util.concurrent.TimeoutException e) {
            assertEquals(expected, ui.text(id), id);
        }
    }

    private String message() {
        return ui.text("#wallet-message");
    }

    /** The full hash of history row {@code i} (its tooltip), "" while the row is being rebuilt. */
    private String hashAt(int i) {
        return WalletOnDevnet.onFx(() -> robot.lookup("#wallet-history-hash-" + i).tryQuery()
                .map(n -> ((Label) n).getTooltip().getText()).orElse(""));
    }
}
