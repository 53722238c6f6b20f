package org.openledger.studio.app.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.adapters.AdapterInfo;
import org.openledger.studio.app.InProcessNode;
import org.openledger.studio.app.Screenshots;
import org.openledger.studio.app.StudioViewTest;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterStore;
import org.openledger.studio.gpu.lora.TinyAdapters;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.store.AppDirs;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Nodes view's Adapters tab over a real node serving a tiny real model and real adapters: the tiers and counters
 * follow the requests live, a tier narrows the list, a broken adapter says why, deleting asks first and an adapter in
 * use is kept with the reason, and a folder on the node is registered and served.
 */
class NodeAdaptersViewTest extends StudioViewTest {

    private static final String TOKEN = "node-adapters-view-token-0123456789";

    @SuppressWarnings("unchecked")
    private TableView<AdapterInfo> table() {
        return robot.lookup("#adapters-table").queryAs(TableView.class);
    }

    private List<String> shown() {
        return table().getItems().stream().map(AdapterInfo::id).toList();
    }

    private AdapterInfo row(String id) {
        return table().getItems().stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
    }

    private String message() {
        return robot.lookup("#adapters-message").queryAs(Label.class).getText();
    }

    @Test
    void showsTheAdaptersByTierLiveDeletesAfterAskingAndRegistersAFolder() throws Exception {
        Path model = dir.resolve("tiny-chat");
        ModelConfig c = TinyModels.chatModel(model, 11);
        Path adapters = dir.resolve("node").resolve("adapters");
        for (int i = 0; i < 3; i++) {
            TinyAdapters.random("story-" + i, c, 4 + 4 * i, 8, EnumSet.of(Projection.Q, Projection.V), false, 5 + i,
                    false).save(adapters.resolve("story-" + i));
        }
        // a file whose header is sound but whose values are NaN: found only when it is loaded
        Path nan = adapters.resolve("nan-values");
        TinyAdapters.random("nan-values", c, 4, 8, EnumSet.of(Projection.Q), false, 9, false).save(nan);
        byte[] bytes = Files.readAllBytes(nan.resolve(Adapter.WEIGHTS_FILE));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(bytes.length - 4, Float.NaN);
        Files.write(nan.resolve(Adapter.WEIGHTS_FILE), bytes);
        Path outside = dir.resolve("outside").resolve("legal-v2");
        TinyAdapters.random("legal-v2", c, 8, 8, EnumSet.of(Projection.Q, Projection.V), false, 30, false)
                .save(outside);

        AtomicReference<ServedModels> served = new AtomicReference<>();
        InProcessNode local = new InProcessNode(dir.resolve("node"), TOKEN, () -> {
            served.set(ServedModels.of(BaseModel.load(model, ComputeDevice.cpu("cpu", 8L << 30, 4L << 30), 8, 128),
                    adapters, dir.resolve("node").resolve("adapters.db"), AdapterStore.Limits.ofBytes(64L << 20,
                            16L << 20)));
            return InferenceServices.of(served.get(), 8);
        });
        Desktop desktop = window.open(AppDirs.under(dir.resolve("home")), local);
        NodeClient client = desktop.nodes().activeClient().orElseThrow();

        robot.clickOn("#nav-nodes");
        robot.clickOn("#node-tab-adapters");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> shown().size() == 4
                && robot.lookup("#adapters-tier-box-disk").tryQuery().isPresent());
        assertEquals("disk", row("story-0").tier());
        assertTrue(robot.lookup("#adapters-tier-box-device").tryQuery().isPresent(), "the device tier is shown");
        assertTrue(robot.lookup("#adapters-tier-box-host").tryQuery().isPresent(), "the host tier is shown");

        // requests move adapters to the device; the tab follows without a click
        for (int i = 0; i < 3; i++) {
            client.post("v1/completions", Map.of("model", "story-1", "prompt", "once upon", "max_tokens", 4,
                    "temperature", 0), Map.class);
        }
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> row("story-1") != null
                && row("story-1").requests() == 3 && "device".equals(row("story-1").tier()));
        assertTrue(row("story-1").tokens() > 0);
        assertNotNull(row("story-1").meanLoadMs());
        String queue = robot.lookup("#adapters-queue").queryAs(Label.class).getText();
        assertTrue(queue.matches("Queue \\d+ rows?"), queue);
        String rate = robot.lookup("#adapters-rate").queryAs(Label.class).getText();
        assertTrue(rate.matches("\\d+\\.\\d tokens/s"), "two readings give a rate: " + rate);
        String holders = robot.lookup("#adapters-held").queryAs(Label.class).getText();
        assertTrue(holders.matches("\\d+ requests? holds? an adapter"), holders);

        // the broken adapter fails its own request, and says so in the list; the rest serve on
        NodeClientException broken = org.junit.jupiter.api.Assertions.assertThrows(NodeClientException.class,
                () -> client.post("v1/completions", Map.of("model", "nan-values", "prompt", "x", "max_tokens", 2),
                        Map.class));
        assertEquals(400, broken.status());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> row("nan-values") != null
                && row("nan-values").brokenReason() != null);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#adapters-table .table-cell")
                .queryAllAs(javafx.scene.control.Labeled.class).stream()
                .anyMatch(l -> l.getText() != null && l.getText().startsWith("Broken: ")));

        // a tier narrows the list to what the node lists for it
        robot.clickOn("#adapters-tier-device");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> shown().equals(List.of("story-1")));
        robot.clickOn("#adapters-tier-all");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> shown().size() == 4);

        // deleting an adapter a request holds: asked first, refused by the node, kept, said plainly
        AdapterStore.Lease held = served.get().adapters().acquire("story-1").get();
        FxToolkit.setupFixture(() -> table().getSelectionModel().select(row("story-1")));
        robot.clickOn("#adapters-delete");
        robot.clickOn("#adapters-delete-confirm");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> message().contains("in use"));
        assertEquals("'story-1' is in use by a running request, so it was not deleted. Try again when the request is"
                + " done.", message());
        assertTrue(Files.isDirectory(adapters.resolve("story-1")));
        held.close();

        // an idle one is deleted after the question, and is gone from the node
        FxToolkit.setupFixture(() -> table().getSelectionModel().select(row("story-0")));
        robot.clickOn("#adapters-delete");
        robot.clickOn("#adapters-delete-confirm");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !shown().contains("story-0") && shown().size() == 3);
        assertFalse(Files.exists(adapters.resolve("story-0")));
        assertFalse(client.models().data().stream().anyMatch(m -> m.id().equals("story-0")));

        // a folder on the node is registered and served at once
        robot.clickOn("#adapters-register");
        robot.clickOn("#register-adapter-folder").write(outside.toString());
        robot.clickOn("#register-adapter-confirm");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> shown().contains("legal-v2"));
        assertTrue(message().startsWith("Registered 'legal-v2' (rank 8"), message());
        client.post("v1/completions", Map.of("model", "legal-v2", "prompt", "hello", "max_tokens", 2), Map.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> row("legal-v2").requests() == 1);
        Screenshots.shoot(window.stage(), desktop, "nodes-adapters");
    }
}
