package org.openledger.studio.app.datanet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.app.FreshKey;
import org.openledger.studio.app.InProcessNode;
import org.openledger.studio.app.StudioViewTest;
import org.openledger.studio.app.cli.datanet.WorkspaceOptions;
import org.openledger.studio.app.cli.wallet.NodeChain;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.contracts.generated.DatanetRegistry;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.daemon.registry.RegistryService;
import org.openledger.studio.datanet.contribution.ManifestDomain;
import org.openledger.studio.datanet.contribution.UploadState;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.ProgressListener;
import org.openledger.studio.datanet.onchain.OnChainStatus;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.NewDatanet;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.ui.datanet.ContributionItem;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.chain.FeeSuggestion;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The Datanets view's on-chain step in the whole studio, against a node with its devnet (real anvil, real contracts)
 * and its registry: the Datanet is published and an uploaded contribution submitted with a stake, each transaction
 * reviewed, signed and broadcast in the wallet's own review pane, signed by the account unlocked in Wallet &amp;
 * Staking; the history then says the contribution is confirmed, and the registry holds it.
 */
class DatanetsChainViewTest extends StudioViewTest {

    private static final String TOKEN = "datanets-chain-view-token-0123456789";

    @Test
    void publishUploadAndSubmitFromTheView() throws Exception {
        Path data = dir.resolve("node");
        InProcessNode local = new InProcessNode(data, TOKEN, () -> RegistryService.addTo(
                NodeChain.attach(NodeServices.none(), null, null, data), data,
                new ManifestDomain(31337, RegistryService.NO_CONTRACT)));
        Path home = dir.resolve("home");
        AppDirs dirs = AppDirs.under(home);

        // an account in the studio's wallet, and a Datanet with rows in its workspace
        String address = FreshKey.importInto(dirs, (byte) 0x13, "a long password");
        Path file = Files.writeString(dir.resolve("tides.jsonl"), String.join("\n",
                "{\"text\": \"The spring tide reaches the harbour wall twice a month when the moon is new or full\"}",
                "{\"text\": \"Neap tides leave the mud flats wet but never cover the old stone jetty at all\"}") + "\n",
                StandardCharsets.UTF_8);
        try (Workspace ws = Workspace.open(WorkspaceOptions.workspaceFile(dirs))) {
            Datanet d = ws.datanets().create(new NewDatanet("Tides", "Tides of the bay", "", List.of("sea"),
                    "CC-BY-4.0", address));
            ws.add(d.id(), List.of(file), address, new Ingest(), ProgressListener.NONE);
        }

        Desktop desktop = window.open(dirs, local);
        NodeClient node = desktop.nodes().activeClient().orElseThrow();
        window.openWalletUntilChainReady();
        ChainInfo chain = node.chain();
        node.faucet(address);
        window.unlockAndWait("a long password");

        robot.clickOn("#nav-datanets");
        @SuppressWarnings("unchecked")
        ListView<ContributionItem> history = robot.lookup("#datanet-history").queryAs(ListView.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !robot.lookup("#datanet-publish").queryButton()
                .isDisabled());

        // publish: createDatanet reviewed in the wallet's pane, signed, broadcast
        press("#datanet-publish");
        waitForReview("DatanetRegistry.createDatanet");
        assertEquals(address, text("#datanet-review-from"));
        assertEquals("Local devnet (31337)", text("#datanet-review-chain"));
        assertTrue(robot.lookup("#datanet-broadcast").queryButton().isDisabled(), "broadcast only after signing");
        press("#datanet-sign");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#datanet-signed-state").startsWith("Signed"));
        press("#datanet-broadcast");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#datanet-message").queryAs(Label.class)
                .getText().startsWith("Published Tides as Datanet 1 on chain 31337"));

        // upload (signed for Datanet 1), then submit with a stake: approve, then contribute
        press("#datanet-upload");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> history.getItems().size() == 1
                && history.getItems().get(0).upload().stage() == UploadState.Stage.COMPLETE);
        assertEquals(OnChainStatus.Stage.NOT_SUBMITTED, history.getItems().get(0).chain().stage());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(visibleText().contains("on chain: not submitted"), visibleText());
        FxToolkit.setupFixture(() -> {
            history.getSelectionModel().select(0);
            ((TextField) robot.lookup("#datanet-stake").query()).setText("5");
        });
        press("#datanet-submit");
        waitForReview("OpenToken.approve");
        press("#datanet-sign");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#datanet-signed-state").startsWith("Signed"));
        press("#datanet-broadcast");
        waitForReview("DatanetRegistry.contribute");
        // the shared review pane carries the wallet's fee levels: fast works the review out again
        @SuppressWarnings("unchecked")
        ChoiceBox<FeeSuggestion.Speed> fee = robot.lookup("#datanet-fee").queryAs(ChoiceBox.class);
        assertEquals(FeeSuggestion.Speed.NORMAL, fee.getValue());
        assertTrue(text("#datanet-review-fees").startsWith("slow "), text("#datanet-review-fees"));
        String normalCost = text("#datanet-review-max-cost");
        FxToolkit.setupFixture(() -> fee.getSelectionModel().select(FeeSuggestion.Speed.FAST));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !text("#datanet-review-max-cost").equals(normalCost));
        assertEquals(FeeSuggestion.Speed.FAST, fee.getValue());
        press("#datanet-sign");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#datanet-signed-state").startsWith("Signed"));
        press("#datanet-broadcast");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> history.getItems().size() == 1
                && history.getItems().get(0).chain().stage() == OnChainStatus.Stage.CONFIRMED);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(visibleText().contains("on chain: confirmed in block "), visibleText());
        assertFalse(robot.lookup("#datanet-review-panel").query().isVisible());
        assertTrue(robot.lookup("#datanet-submit").queryButton().isDisabled(), "a confirmed one is not sent twice");

        // the registry holds it: root of the uploaded manifest, 2 rows, 5 OPEN staked
        String root = history.getItems().get(0).upload().merkleRoot();
        Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
        try {
            DatanetRegistry registry = DatanetRegistry.load(chain.contracts().get("DatanetRegistry"), web3j,
                    new ReadonlyTransactionManager(web3j, address), new DefaultGasProvider());
            BigInteger id = registry.contributionByRoot(BigInteger.ONE, Numeric.hexStringToByteArray(root)).send();
            assertEquals(BigInteger.ONE, id);
            DatanetRegistry.Contribution c = registry.getContribution(id).send();
            assertEquals(BigInteger.TWO, c.rowCount);
            assertEquals(BigInteger.valueOf(5).multiply(BigInteger.TEN.pow(18)), c.stake);
            assertEquals(address.toLowerCase(), c.contributor.toLowerCase());
        } finally {
            web3j.shutdown();
        }
    }

    private void waitForReview(String function) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#datanet-review-panel").query().isVisible()
                && robot.lookup("#datanet-review-call").tryQuery().map(n -> ((Label) n).getText().startsWith(function))
                .orElse(false));
    }

    private void press(String id) throws Exception {
        window.press(id);
    }

    private String text(String id) {
        return window.label(id);
    }

    private String visibleText() {
        return window.visibleText();
    }
}
