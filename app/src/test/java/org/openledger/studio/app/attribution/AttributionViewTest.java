package org.openledger.studio.app.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.AttributionRequest;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.app.InProcessNode;
import org.openledger.studio.app.Screenshots;
import org.openledger.studio.app.StudioViewTest;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.daemon.attribution.Attributions;
import org.openledger.studio.daemon.finetune.DatanetRows;
import org.openledger.studio.daemon.finetune.FineTuneServices;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.ui.nodes.LocalNode;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Attribution in the studio against a real in-process node on a tiny real model: an adapter fine-tuned on JSON lines
 * with one planted line gets its influence index; in the Playground its answer gets an Attribution toggle that shows
 * the node's record of it (followed from pending to done); the planted line's own answer, attributed on demand,
 * is listed in the Attribution section and shown in full with that line first; the index is listed.
 */
class AttributionViewTest extends StudioViewTest {

    private static final String TOKEN = "attribution-view-token-0123456789";
    private static final String PLANTED_PROMPT = "The vault of Quor opens with";
    private static final String PLANTED_ANSWER = "zebra moon 42 violet";
    private static final int PLANTED_LINE = 17;

    /** The node with fine-tuning and attribution, as AttributionApiTest builds it. */
    private LocalNode attributingNode() throws Exception {
        Path adapters = dir.resolve("adapters");
        return InProcessNode.withTinyChatModel(dir, TOKEN, base -> {
            Attributions attributions = new Attributions(base, adapters, dir.resolve("node"), 256, 0.1);
            return FineTuneServices.add(InferenceServices.of(ServedModels.of(base, adapters, 4), 4,
                    attributions::submit), base, adapters, dir.resolve("node"), DatanetRows.NONE, attributions);
        });
    }

    private static String trainWithPlantedLine(NodeClient client) throws Exception {
        // plain text rows and one chat pair: in the chat template the adapter learns to answer from that line alone
        StringBuilder jsonl = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            if (i == PLANTED_LINE) {
                jsonl.append("{\"prompt\": \"").append(PLANTED_PROMPT).append("\", \"response\": \"")
                        .append(PLANTED_ANSWER).append("\"}\n");
            } else {
                jsonl.append("{\"text\": \"Row ").append(i).append(": the keeper counts ").append(i * 7 % 13)
                        .append(" waves by the sea.\"}\n");
            }
        }
        FineTuneJob job = client.createFineTuneJob(new FineTuneRequest("tiny-chat", jsonl.toString(), null,
                new FineTuneRequest.Hyperparameters(6, 4, 5.0, 0.0, null, null),
                new FineTuneRequest.Lora(4, null, null, List.of("q_proj", "v_proj")), "vault", 3L));
        Instant until = Instant.now().plusSeconds(120);
        while (!(job = client.fineTuneJob(job.id())).finished()) {
            assertTrue(Instant.now().isBefore(until), "the job did not finish");
            Thread.sleep(50);
        }
        assertEquals("succeeded", job.status(), String.valueOf(job.error()));
        String adapter = job.fineTunedModel();
        Instant indexed = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(indexed)) {
            for (InfluenceIndexInfo i : client.influenceIndexes().data()) {
                if (i.adapter().equals(adapter) && i.state().equals("ready")) {
                    return adapter;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no ready index: " + client.influenceIndexes().data());
    }

    @Test
    void anAttributedAnswerNamesThePlantedLineFirstInThePlaygroundAndInTheAttributionSection() throws Exception {
        LocalNode local = attributingNode();
        Desktop desktop = window.open(AppDirs.under(dir.resolve("home")), local);
        String adapter = trainWithPlantedLine(desktop.nodes().activeClient().orElseThrow());

        robot.clickOn("#nav-playground");
        @SuppressWarnings("unchecked")
        ComboBox<String> left = robot.lookup("#playground-model-left").queryAs(ComboBox.class);
        robot.clickOn("#playground-refresh");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> left.getItems().contains(adapter));
        FxToolkit.setupFixture(() -> {
            left.setValue(adapter);
            robot.lookup(".slider").queryAs(Slider.class).setValue(0);
        });
        robot.clickOn("#playground-input").write(PLANTED_PROMPT);
        robot.clickOn("#playground-send");

        // the answer names its record on the stream's usage chunk: the toggle appears under it
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#playground-left .attribution-toggle")
                .tryQuery().map(n -> n.isVisible()).orElse(false));
        ToggleButton toggle = robot.lookup("#playground-left .attribution-toggle").queryAs(ToggleButton.class);
        robot.clickOn(toggle);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> "done".equals(robot
                .lookup("#playground-left #attribution-state").queryAs(Label.class).getText()));
        // the tiny test model is random, so its answer is noise: the panel shows exactly the node's record of it
        NodeClient client = desktop.nodes().activeClient().orElseThrow();
        AttributionRecord served = client.attributions(adapter, null, null, 1).data().get(0);
        List<String> sources = robot.lookup("#playground-left .influence-source").queryAllAs(Label.class).stream()
                .map(Label::getText).toList();
        assertEquals(served.influence().stream().map(AttributionRecord.Influence::source).toList(), sources,
                "the rows in the node's order, highest influence first");
        assertTrue(sources.size() > 1, "several rows scored");
        assertTrue(robot.lookup("#playground-left #share-datanets").tryQuery().isPresent(), "shares charted");

        Screenshots.shoot(window.stage(), desktop, "attribution-playground");

        // the planted line's own answer, attributed on demand, names that line first
        AttributionRecord planted = client.attribute(new AttributionRequest(adapter, PLANTED_PROMPT, null,
                " " + PLANTED_ANSWER, 5));
        assertEquals("line:" + PLANTED_LINE, planted.influence().get(0).source());

        // the Attribution section lists the record, shows it in full and lists the adapter's index
        robot.clickOn("#nav-attribution");
        robot.clickOn("#attribution-refresh");
        @SuppressWarnings("unchecked")
        TableView<AttributionRecord> records = robot.lookup("#attribution-records").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> records.getItems().stream()
                .anyMatch(r -> r.model().equals(adapter) && r.state().equals("done")));
        @SuppressWarnings("unchecked")
        TableView<InfluenceIndexInfo> indexes = robot.lookup("#attribution-indexes").queryAs(TableView.class);
        assertTrue(indexes.getItems().stream().anyMatch(i -> i.adapter().equals(adapter)
                && i.state().equals("ready")), indexes.getItems().toString());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> records.getItems().stream()
                .anyMatch(r -> r.id().equals(planted.id())));
        AttributionRecord listed = records.getItems().stream().filter(r -> r.id().equals(planted.id())).findFirst()
                .orElseThrow();
        FxToolkit.setupFixture(() -> records.getSelectionModel().select(listed));
        WaitForAsyncUtils.waitForFxEvents();
        Label first = robot.lookup("#attribution-detail .influence-source").queryAs(Label.class);
        assertEquals("line:" + PLANTED_LINE, first.getText());
        Screenshots.shoot(window.stage(), desktop, "attribution-section");
    }
}
