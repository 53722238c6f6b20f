package org.openledger.studio.app.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.chart.BarChart;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.rewards.CreditRequest;
import org.openledger.studio.api.rewards.RewardCredit;
import org.openledger.studio.app.Screenshots;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.ui.attribution.EarningsViewModel;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Earnings tab of the Attribution section against a node with its own devnet and the real reward ledger: the
 * node credits an account for two attribution records (as contributor and owner) and settles an epoch, then credits
 * it once more as a staker; the tab shows the totals, settled and not, the claimable amount, the epoch's bar, the
 * roles and the models, and Claim (through the wallet's review) pays exactly what was settled.
 */
class EarningsViewTest extends OnDevnetViewTest {

    @Test
    void earningsOfAnAccountAreShownAndTheSettledPartIsClaimed() throws Exception {
        Desktop desktop = ui.open(dir);
        NodeClient node = desktop.nodes().activeClient().orElseThrow();
        String address = ui.importFundedKey((byte) 0x24, PASSWORD).address().toString();
        node.addRewardCredits(CreditRequest.of(List.of(
                RewardCredit.of(address, "2000000000000000000", "attribution attr-0e1 (contributor)"),
                RewardCredit.of(address, "500000000000000000", "attribution attr-0e2 (owner)"))));
        assertEquals(1, node.settleRewards().epoch());
        node.addRewardCredits(CreditRequest.of(List.of(
                RewardCredit.of(address, "250000000000000000", "attribution attr-0e1 (staker)"))));

        robot.clickOn("#nav-attribution");
        TabPane tabs = robot.lookup("#attribution-tabs").queryAs(TabPane.class);
        FxToolkit.setupFixture(() -> tabs.getSelectionModel().select(1));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#earnings-total").equals("2.75 OPEN")
                && ui.text("#earnings-claimable").equals("2.5 OPEN"));
        assertEquals("2.5 OPEN", ui.text("#earnings-settled"));
        assertEquals("0.25 OPEN", ui.text("#earnings-unsettled"));
        assertEquals("3 credits", ui.text("#earnings-status"));

        @SuppressWarnings("unchecked")
        TableView<EarningsViewModel.Share> roles = robot.lookup("#earnings-by-role").queryAs(TableView.class);
        assertEquals(List.of("contributor 2 OPEN", "owner 0.5 OPEN", "staker 0.25 OPEN", "platform 0 OPEN"),
                WalletOnDevnet.onFx(() -> roles.getItems().stream().map(s -> s.name() + " " + s.open()).toList()));
        @SuppressWarnings("unchecked")
        TableView<EarningsViewModel.Share> models = robot.lookup("#earnings-by-model").queryAs(TableView.class);
        // neither record is on this node (the credits were added by hand): they are grouped as such
        assertEquals(List.of("(record not found) 2.75 OPEN"),
                WalletOnDevnet.onFx(() -> models.getItems().stream().map(s -> s.name() + " " + s.open()).toList()));
        BarChart<?, ?> chart = robot.lookup("#earnings-chart").queryAs(BarChart.class);
        assertEquals(1, WalletOnDevnet.onFx(() -> chart.getData().get(0).getData().size()), "one bar: epoch 1");
        Screenshots.shoot(ui.stage(), desktop, "attribution-earnings");

        // Claim goes through the wallet's review, shown in this tab; the wallet's balance goes up by what was settled
        ui.press("#earnings-claim");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#earnings-review-panel").query()
                .isVisible() && ui.text("#earnings-review-call").startsWith("RewardDistributor.claim("));
        assertTrue(ui.text("#earnings-review-title").contains("Claim 2.5 OPEN of rewards (epoch 1)"),
                ui.text("#earnings-review-title"));
        assertTrue(ui.button("#earnings-claim").isDisabled(), "one claim at a time");
        ui.press("#earnings-sign");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#earnings-signed-state").startsWith("Signed"));
        ui.press("#earnings-broadcast");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> ui.text("#earnings-claim-outcome").startsWith(
                "Received 2.5 OPEN in block "));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#earnings-claimable").equals("0 OPEN"));
        assertTrue(ui.button("#earnings-claim").isDisabled(), "nothing left to claim");
        assertEquals("2500000000000000000", node.rewardProof(address).claimedWei());
        robot.clickOn("#nav-wallet");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#wallet-open-balance").equals("1002.5 OPEN"));
    }
}
