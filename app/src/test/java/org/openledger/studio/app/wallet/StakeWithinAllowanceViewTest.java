package org.openledger.studio.app.wallet;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.TimeUnit;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.app.Cast;
import org.openledger.studio.app.desktop.Desktop;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Staking from the studio asks for an approval only when the allowance does not cover the stake, as the CLI does
 * (one `Staking` engine for both): with 500 OPEN already approved on chain, a stake of 100 is reviewed, signed and
 * sent as one transaction, the account's nonce goes up by one, and the OPEN balance down by the stake.
 */
class StakeWithinAllowanceViewTest extends OnDevnetViewTest {

    @Test
    void aStakeWithinTheAllowanceIsOneTransactionNotTwo() throws Exception {
        Desktop desktop = ui.open(dir);
        NodeClient node = desktop.nodes().activeClient().orElseThrow();
        String address = ui.importFundedKey((byte) 0x24, PASSWORD).address().toString();
        var chain = node.chain();
        String rpc = chain.rpcUrl();
        Cast.run("send", chain.contracts().get("OpenToken"), "approve(address,uint256)",
                chain.contracts().get("StakingVault"), "500000000000000000000", "--private-key", "0x" + ui.keyHex(),
                "--rpc-url", rpc);
        long nonce = Long.parseLong(Cast.run("nonce", address, "--rpc-url", rpc));

        FxToolkit.setupFixture(() -> {
            ((TextField) robot.lookup("#wallet-stake-amount").query()).setText("100");
            ((TextField) robot.lookup("#wallet-stake-target").query()).setText("0x" + "0".repeat(62) + "2a");
        });
        ui.press("#wallet-stake");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#wallet-review-panel").query().isVisible()
                && !ui.text("#wallet-review-call").isEmpty());
        assertTrue(ui.text("#wallet-review-call").startsWith("StakingVault.stake("),
                "no approval first: " + ui.text("#wallet-review-call"));
        assertEquals(Long.toString(nonce), ui.text("#wallet-review-nonce"));
        ui.press("#wallet-sign");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.text("#wallet-signed-state").startsWith("Signed"));
        ui.press("#wallet-broadcast");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> ui.text("#wallet-open-balance").equals("900 OPEN"));
        assertEquals(nonce + 1, Long.parseLong(Cast.run("nonce", address, "--rpc-url", rpc)), "one transaction");
        assertFalse(robot.lookup("#wallet-review-panel").query().isVisible(), "nothing more to review");
    }

}
