package org.openledger.studio.app.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.rewards.CreditRequest;
import org.openledger.studio.api.rewards.RewardCredit;
import org.openledger.studio.app.desktop.Desktop;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Rewards panel of Wallet &amp; Staking against a node with its own devnet (real anvil, real contracts, the real
 * reward ledger): the node's operator credits the account and settles an epoch through the node's API; the panel
 * shows the claimable OPEN (read in the background), Claim opens the wallet's review of
 * {@code RewardDistributor.claim}, and once it is signed and broadcast the OPEN balance goes up by exactly the credit
 * and nothing is left to claim.
 */
class RewardsViewTest extends OnDevnetViewTest {

    @Test
    void creditSettleAndClaimFromTheView() throws Exception {
        Desktop desktop = ui.open(dir);
        NodeClient node = desktop.nodes().activeClient().orElseThrow();
        // a fresh key, unlocked, with gas money and 1000 OPEN from the faucet
        String address = ui.importFundedKey((byte) 0x23, PASSWORD).address().toString();
        Label open = robot.lookup("#wallet-open-balance").queryAs(Label.class);

        // nothing owed yet: the panel says so, Claim is off
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#wallet-rewards-claimable").equals("0 OPEN"));
        assertTrue(ui.text("#wallet-rewards-detail").contains("No reward epoch is posted"),
                ui.text("#wallet-rewards-detail"));
        assertTrue(ui.button("#wallet-rewards-claim").isDisabled());

        // the node's operator credits 12.5 OPEN and settles an epoch
        node.addRewardCredits(CreditRequest.of(List.of(RewardCredit.of(address, "12500000000000000000",
                "view test"))));
        assertEquals(1, node.settleRewards().epoch());
        ui.press("#wallet-rewards-refresh");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#wallet-rewards-claimable").equals("12.5 OPEN"));
        assertEquals("Epoch 1: 12.5 OPEN earned in all, 0 OPEN claimed", ui.text("#wallet-rewards-detail"));

        // claim through the wallet's review: sign, then broadcast; the balance goes up by exactly the credit
        ui.press("#wallet-rewards-claim");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#wallet-review-panel").query().isVisible()
                && ui.text("#wallet-review-call").startsWith("RewardDistributor.claim("));
        assertEquals(address, ui.text("#wallet-review-from"));
        assertTrue(ui.text("#wallet-review-to").contains("(RewardDistributor)"), ui.text("#wallet-review-to"));
        assertTrue(ui.text("#wallet-review-call").contains("12500000000000000000"), ui.text("#wallet-review-call"));
        assertTrue(ui.text("#wallet-review-title").contains("Claim 12.5 OPEN of rewards (epoch 1)"),
                ui.text("#wallet-review-title"));
        assertTrue(ui.button("#wallet-rewards-claim").isDisabled(), "one claim at a time");
        ui.press("#wallet-sign");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#wallet-signed-state").startsWith("Signed"));
        assertEquals("1000 OPEN", open.getText(), "signing sends nothing");
        ui.press("#wallet-broadcast");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> open.getText().equals("1012.5 OPEN"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#wallet-rewards-outcome").startsWith(
                "Received 12.5 OPEN in block "));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#wallet-rewards-claimable").equals("0 OPEN")
                && ui.text("#wallet-rewards-detail").equals("Epoch 1: 12.5 OPEN earned in all, 12.5 OPEN claimed"));
        assertTrue(ui.button("#wallet-rewards-claim").isDisabled(), "nothing left to claim");
        assertEquals("12500000000000000000", node.rewardProof(address).claimedWei());
        assertFalse(robot.lookup("#wallet-review-panel").query().isVisible());
    }
}
