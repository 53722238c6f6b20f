package org.openledger.studio.app.nodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.app.InProcessNode;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.lora.AdapterStore;
import org.openledger.studio.gpu.lora.TinyAdapters;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.ui.nodes.ConnectionState;

/**
 * The studio in a real window on a tiny real model with a dozen adapters and a trickle of requests, opened at the
 * Nodes view's Adapters tab: to look at it as a person would ({@code ../shared/tools/screenshot}). Not a test.
 */
public final class NodeAdaptersWindow {

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("node-adapters-window");
        Path model = dir.resolve("tiny-chat");
        ModelConfig c = TinyModels.chatModel(model, 11);
        Path adapters = dir.resolve("node").resolve("adapters");
        for (int i = 0; i < 12; i++) {
            TinyAdapters.random("support-" + i, c, 4 << (i % 3), 8, EnumSet.of(Projection.Q, Projection.V), false,
                    i, false).save(adapters.resolve("support-" + i));
        }
        InProcessNode local = new InProcessNode(dir.resolve("node"), "window-token-0123456789abcdef", () ->
                InferenceServices.of(ServedModels.of(BaseModel.load(model, ComputeDevice.cpu("cpu", 8L << 30,
                        4L << 30), 8, 128), adapters, dir.resolve("node").resolve("adapters.db"),
                        AdapterStore.Limits.ofBytes(64L << 20, 48L << 10)), 8));
        Platform.startup(() -> {
            Stage stage = new Stage();
            stage.setWidth(1280);
            stage.setHeight(800);
            Desktop desktop = Desktop.open(stage, AppDirs.under(dir.resolve("home")), (dirs, http) -> local);
            Thread load = new Thread(() -> traffic(desktop), "traffic");
            load.setDaemon(true);
            load.start();
        });
    }

    /** Zipf-ish requests over the adapters, once the node is up; the Adapters tab is opened meanwhile. */
    private static void traffic(Desktop desktop) {
        try {
            while (desktop.nodes().localRow().state() != ConnectionState.CONNECTED) {
                Thread.sleep(200);
            }
            Platform.runLater(() -> {
                desktop.shell().show(org.openledger.studio.ui.shell.Section.NODES);
                var tab = desktop.window().scene().lookup("#node-tabs");
                if (tab instanceof javafx.scene.control.TabPane tabs) {
                    tabs.getSelectionModel().select(1);
                }
            });
            NodeClient client = desktop.nodes().activeClient().orElseThrow();
            java.util.Random r = new java.util.Random(1);
            for (int n = 0; ; n++) {
                int id = (int) Math.min(11, Math.floor(Math.pow(12, r.nextDouble())) - 1 + (n % 7 == 0 ? 5 : 0));
                client.post("v1/completions", Map.of("model", "support-" + Math.max(0, id), "prompt", "hello",
                        "max_tokens", 6), Map.class);
                Thread.sleep(150);
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
    }
}
