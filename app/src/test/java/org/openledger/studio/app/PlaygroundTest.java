package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.text.Text;
import org.junit.jupiter.api.Test;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.lora.TinyAdapters;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.ui.nodes.LocalNode;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Playground against a node serving a tiny real model and an adapter: a message is answered token by token,
 * each token carries its probability, and a second model answers side by side.
 */
class PlaygroundTest extends StudioViewTest {

    private static final String TOKEN = "playground-test-token-0123456789";

    private Desktop desktop;

    /** The node, in this JVM, with a model: the same HTTP API the child-process node has. */
    private LocalNode nodeWithModel() throws Exception {
        Path model = dir.resolve("tiny-chat");
        ModelConfig c = TinyModels.chatModel(model, 11);
        TinyAdapters.random("story-adapter", c, 4, 8, EnumSet.of(Projection.Q, Projection.V), false, 5, false)
                .save(dir.resolve("adapters/story-adapter"));
        return new InProcessNode(dir.resolve("node"), TOKEN, () -> InferenceServices.of(ServedModels.of(
                BaseModel.load(model, ComputeDevice.cpu("cpu", 8L << 30, 4L << 30), 8, 128), dir.resolve("adapters"), 4),
                8));
    }

    @Test
    void answersTokenByTokenWithProbabilitiesAndComparesTwoModels() throws Exception {
        LocalNode local = nodeWithModel();
        desktop = window.open(AppDirs.under(dir.resolve("home")), local);

        robot.clickOn("#nav-playground");
        @SuppressWarnings("unchecked")
        ComboBox<String> left = robot.lookup("#playground-model-left").queryAs(ComboBox.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> left.getItems().size() == 2);
        assertEquals("tiny-chat", left.getValue());

        robot.clickOn("#playground-compare");
        @SuppressWarnings("unchecked")
        ComboBox<String> right = robot.lookup("#playground-model-right").queryAs(ComboBox.class);
        FxToolkit.setupFixture(() -> right.setValue("story-adapter"));
        robot.clickOn("#playground-input").write("Hello there");
        robot.clickOn("#playground-send");

        // both sides answer; every generated token is shown with its probability on hover
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#playground-left .chat-turn-assistant")
                .queryAll().size() == 1 && robot.lookup("#playground-right .chat-turn-assistant").queryAll().size() == 1
                && robot.lookup("#playground-stop").queryButton().isDisabled());
        var tokens = robot.lookup("#playground-left .chat-token").queryAllAs(Text.class);
        assertFalse(tokens.isEmpty(), "the answer streamed in as tokens");
        assertTrue(tokens.stream().allMatch(t -> t.getStyleClass().stream().anyMatch(c -> c.startsWith("token-"))),
                "each token is coloured by its probability");
        assertFalse(robot.lookup("#playground-right .chat-token").queryAll().isEmpty(), "the adapter answered too");
        assertTrue(robot.lookup(".chat-failed").queryAll().isEmpty());
    }
}
