package org.openledger.studio.app.datanet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.registry.UploadStatus;
import org.openledger.studio.app.StudioViewTest;
import org.openledger.studio.app.cli.datanet.KeyManifestSigner;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.daemon.registry.RegistryService;
import org.openledger.studio.datanet.contribution.ManifestDomain;
import org.openledger.studio.datanet.contribution.UploadState;
import org.openledger.studio.datanet.node.HttpRegistryClient;
import org.openledger.studio.datanet.workspace.RowStatus;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.ui.datanet.ContributionItem;
import org.openledger.studio.ui.datanet.DatanetsApi;
import org.openledger.studio.ui.datanet.DatanetsView;
import org.openledger.studio.ui.datanet.DatanetsViewModel;
import org.openledger.studio.ui.datanet.RowItem;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.Secret;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Datanets view against a real workspace and a node with the registry: a file is added, its duplicate and secret
 * badges show, the row with the secret is rejected, the rest is uploaded and the contribution is listed.
 */
class DatanetsViewTest extends StudioViewTest {

    private static final String TOKEN = "datanets-view-token-0123456789";
    private static final String KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private Node node;
    private Workspace workspace;
    private PrivateKey key;

    @AfterEach
    void close() throws Exception {
        window.close();
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
        if (node != null) {
            node.close();
        }
        if (workspace != null) {
            workspace.close();
        }
        if (key != null) {
            key.close();
        }
    }

    @Test
    void addSeeBadgesRejectUploadAndSeeTheContribution() throws Exception {
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("node"), TOKEN, "t",
                Duration.ofSeconds(2)), "test", RegistryService.addTo(NodeServices.none(), dir.resolve("node"),
                new ManifestDomain(31337, RegistryService.NO_CONTRACT)));
        NodeClient client = new NodeClient(NodeClient.defaultHttp(), node.url(), TOKEN);
        workspace = Workspace.open(dir.resolve("workspace.db"));
        try (Secret hex = Secret.of(KEY.toCharArray())) {
            key = PrivateKey.parseHex(hex);
        }
        KeyManifestSigner signer = new KeyManifestSigner(key);
        DatanetsViewModel vm = new DatanetsViewModel(workspace, () -> Optional.of(DatanetsApi.of(client)), () -> signer,
                new BackgroundTasks(executor));
        window.show(() -> new DatanetsView(vm), 1100, 700);
        FxToolkit.setupFixture(() -> vm.create("Rivers", "River facts", "CC-BY-4.0"));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> vm.selectedProperty().get() != null);

        String fact = "The river floods the lower valley every spring and the farmers plant rice when the water "
                + "goes down again";
        Path file = Files.writeString(dir.resolve("rivers.jsonl"), String.join("\n",
                "{\"text\": \"" + fact + "\"}",
                "{\"text\": \"" + fact + "\"}",
                "{\"text\": \"Send the flood report to maria.lopez@example.org before Friday please\"}",
                "{\"text\": \"Glaciers feed the upper river through the whole summer season and keep it cold\"}") + "\n",
                StandardCharsets.UTF_8);
        FxToolkit.setupFixture(() -> vm.addFiles(List.of(file)));

        @SuppressWarnings("unchecked")
        TableView<RowItem> table = robot.lookup("#datanet-rows").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> table.getItems().size() == 4);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(visibleText().contains("Duplicate"), "the exact copy has a duplicate badge");
        assertTrue(visibleText().contains("Secret: email"), "the e-mail row has a secret badge");
        int secretIndex = indexOf(table, r -> !r.secrets().isEmpty());
        assertEquals("exact", table.getItems().get(1).duplicate());

        FxToolkit.setupFixture(() -> table.getSelectionModel().clearAndSelect(secretIndex));
        robot.clickOn("#datanet-reject");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().stream()
                .anyMatch(r -> r.status() == RowStatus.REJECTED));
        assertEquals(1, workspace.rows().count(vm.selectedProperty().get().id(), RowStatus.REJECTED));

        robot.clickOn("#datanet-upload");
        @SuppressWarnings("unchecked")
        ListView<ContributionItem> history = robot.lookup("#datanet-history").queryAs(ListView.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> history.getItems().size() == 1
                && history.getItems().get(0).upload().stage() == UploadState.Stage.COMPLETE);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(visibleText().contains("2 rows · complete"), visibleText());
        assertTrue(visibleText().contains("on chain: not submitted"), visibleText());
        assertEquals("", vm.errorProperty().get());

        // the node holds the contribution: the two distinct, accepted-or-pending rows, signed by the key's account
        List<UploadStatus> held = new HttpRegistryClient(client).contributions(
                BigInteger.valueOf(vm.selectedProperty().get().id()));
        assertEquals(1, held.size());
        assertEquals(2, held.get(0).rows());
        assertEquals(signer.address().toLowerCase(), held.get(0).contributor().toLowerCase());
    }

    private String visibleText() {
        return window.visibleText();
    }

    private static int indexOf(TableView<RowItem> table, java.util.function.Predicate<RowItem> p) {
        for (int i = 0; i < table.getItems().size(); i++) {
            if (p.test(table.getItems().get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such row");
    }
}
