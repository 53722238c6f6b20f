package org.openledger.studio.app.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.app.FreshKey;
import org.openledger.studio.app.InProcessNode;
import org.openledger.studio.app.StudioViewTest;
import org.openledger.studio.app.StudioWindow;
import org.openledger.studio.app.cli.wallet.NodeChain;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.contracts.generated.ModelRegistry;
import org.openledger.studio.daemon.finetune.FineTuneServices;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.ui.finetune.FineTuneView;
import org.openledger.studio.ui.finetune.FineTuneViewModel;
import org.openledger.studio.wallet.Wallet;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Publishing a succeeded job's adapter from the Fine-tune result card, in the whole studio, against a node in this
 * JVM that fine-tunes a tiny real model and runs its devnet (real anvil, real contracts): without an unlocked account
 * the button says why it cannot publish; with one, {@code ModelRegistry.publishAdapter} is reviewed, signed and
 * broadcast in the wallet's own review pane, and the card says the on-chain adapter id; {@code getAdapter} holds the
 * job's base model and the content hash recomputed from the adapter's files; a second publication is refused in the
 * card before anything is signed.
 */
class FineTunePublishViewTest extends StudioViewTest {

    private static final String TOKEN = "finetune-publish-view-token-0123456789";

    @Test
    void publishesASucceededJobsAdapterThroughTheWalletsReview() throws Exception {
        Path data = dir.resolve("node");
        Path adapters = dir.resolve("adapters");
        InProcessNode local = InProcessNode.withTinyChatModel(dir, TOKEN, base -> NodeChain.attach(FineTuneServices.add(
                InferenceServices.of(ServedModels.of(base, adapters, 4), 4), base, adapters, data), null, null, data));
        AppDirs dirs = AppDirs.under(dir.resolve("home"));

        // an account in the studio's wallet, still locked
        String address = FreshKey.importInto(dirs, (byte) 0x17, "a long password");

        Desktop desktop = window.open(dirs, local, StudioWindow.LARGE);
        NodeClient node = desktop.nodes().activeClient().orElseThrow();

        // a short job that succeeds
        robot.clickOn("#nav-fine_tune");
        FineTuneViewModel vm = robot.lookup("#finetune-view").queryAs(FineTuneView.class).model();
        @SuppressWarnings("unchecked")
        ComboBox<String> base = robot.lookup("#finetune-model").queryAs(ComboBox.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> "tiny-chat".equals(base.getValue()));
        Path file = Files.writeString(dir.resolve("keeper.jsonl"),
                "{\"prompt\":\"Where is the keeper? \",\"response\":\"By the lighthouse, counting waves.\"}\n"
                        .repeat(20), StandardCharsets.UTF_8);
        FxToolkit.setupFixture(() -> {
            vm.chooseFile(file);
            vm.settings().epochsProperty().set("1");
            vm.settings().batchSizeProperty().set("2");
            vm.settings().suffixProperty().set("pub");
        });
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> text("#finetune-file").startsWith("keeper.jsonl"));
        press("#finetune-start");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> "Succeeded".equals(text("#finetune-result-status")));
        String adapter = vm.monitor().jobProperty().get().fineTunedModel();

        // no unlocked account: the button cannot publish and the card says why
        Button publish = robot.lookup("#finetune-publish").queryButton();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, publish::isDisabled);
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> text("#finetune-publish-note")
                .contains("unlock an account in Wallet & Staking to publish"));
        assertTrue(robot.lookup("#finetune-publish-note").query().isVisible());

        // unlock in Wallet & Staking (with gas from the devnet's faucet)
        window.openWalletUntilChainReady();
        ChainInfo chain = node.chain();
        node.faucet(address);
        window.unlockAndWait("a long password");

        // publish from the result card: publishAdapter reviewed in the wallet's pane, signed, broadcast
        robot.clickOn("#nav-fine_tune");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !publish.isDisabled());
        assertFalse(robot.lookup("#finetune-publish-note").query().isVisible());
        press("#finetune-publish");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#finetune-review-panel").query()
                .isVisible() && robot.lookup("#finetune-review-call").tryQuery()
                .map(n -> ((Label) n).getText().startsWith("ModelRegistry.publishAdapter")).orElse(false));
        assertEquals(address, text("#finetune-review-from"));
        assertTrue(robot.lookup("#finetune-broadcast").queryButton().isDisabled(), "broadcast only after signing");
        press("#finetune-sign");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text("#finetune-signed-state").startsWith("Signed"));
        press("#finetune-broadcast");
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                    () -> text("#finetune-publish-message").startsWith("Published as adapter 1 "));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the card says '" + text("#finetune-publish-message") + "'", e);
        }
        assertFalse(robot.lookup("#finetune-review-panel").query().isVisible());

        // on chain: adapter 1 is this job's, with the base model and the hash of its two PEFT files
        byte[] expected = contentHash(adapters.resolve(adapter));
        Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
        try {
            ModelRegistry registry = ModelRegistry.load(chain.contracts().get("ModelRegistry"), web3j,
                    new ReadonlyTransactionManager(web3j, address), new DefaultGasProvider());
            ModelRegistry.Adapter a = registry.getAdapter(BigInteger.ONE).send();
            assertEquals("tiny-chat", a.baseModel);
            assertArrayEquals(expected, a.contentHash);
            assertEquals(address.toLowerCase(), a.owner.toLowerCase());
            assertTrue(a.datanetIds.isEmpty(), "trained on a file: no Datanets");
        } finally {
            web3j.shutdown();
        }
        assertTrue(text("#finetune-publish-message").contains("0x" + java.util.HexFormat.of().formatHex(expected)),
                text("#finetune-publish-message"));

        // a second publication of the same hash is refused in the card, before anything is signed
        press("#finetune-publish");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> text("#finetune-publish-message").contains("is already adapter 1 in the ModelRegistry"));
        assertFalse(robot.lookup("#finetune-review-panel").query().isVisible());
    }

    /** keccak256(name ‖ 0x00 ‖ sha256(file)) over adapter_config.json, adapter_model.safetensors, by hand. */
    private static byte[] contentHash(Path folder) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String name : new String[]{"adapter_config.json", "adapter_model.safetensors"}) {
            b.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            b.write(0);
            b.writeBytes(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(folder.resolve(name))));
        }
        return Hash.sha3(b.toByteArray());
    }

    private void press(String id) throws Exception {
        window.press(id);
    }

    private String text(String id) {
        return window.text(id);
    }
}
