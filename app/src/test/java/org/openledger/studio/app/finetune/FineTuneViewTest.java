package org.openledger.studio.app.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.finetune.FineTuneEvent;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.app.InProcessNode;
import org.openledger.studio.app.StudioViewTest;
import org.openledger.studio.app.StudioWindow;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.daemon.finetune.FineTuneServices;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.ui.finetune.FineTuneView;
import org.openledger.studio.ui.finetune.FineTuneViewModel;
import org.openledger.studio.ui.nodes.LocalNode;
import org.openledger.studio.ui.shell.Section;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Fine-tune section against a node in this JVM that serves and fine-tunes a tiny real model: inline checks,
 * a node refusal shown beside its field, a long job followed live and cancelled, a short job that succeeds with its
 * result card, the history, and the adapter opened in the Playground.
 */
class FineTuneViewTest extends StudioViewTest {

    private static final String TOKEN = "finetune-view-test-token-0123456789";
    private static final String LINE = "The lighthouse keeper counts the waves every night and writes them down. ";

    private LocalNode fineTuningNode() throws Exception {
        Path adapters = dir.resolve("adapters");
        return InProcessNode.withTinyChatModel(dir, TOKEN, base -> FineTuneServices.add(InferenceServices.of(
                ServedModels.of(base, adapters, 4), 4), base, adapters, dir.resolve("node")));
    }

    private void set(String id, String text) throws Exception {
        TextField f = robot.lookup(id).queryAs(TextField.class);
        FxToolkit.setupFixture(() -> f.setText(text));
    }

    private String text(String id) {
        // read on the FX thread: the result card re-renders there while a job is followed
        return window.text(id);
    }

    private FineTuneViewModel vm;

    /** Waits for {@code condition}; on time-out says what the view showed. */
    private void await(int seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(vm == null ? "timed out" : "timed out; message '" + vm.messageProperty().get()
                    + "', errors " + vm.errors() + ", job " + vm.monitor().jobProperty().get() + ", points "
                    + vm.monitor().trainLoss().size() + ", job error '" + vm.monitor().errorProperty().get()
                    + "', estimate '" + vm.estimateProperty().get() + "'", e);
        }
    }

    private static int lastStep(List<XYChart.Data<Number, Number>> series) {
        try {
            return WaitForAsyncUtils.asyncFx(() -> series.isEmpty() ? 0
                    : series.get(series.size() - 1).getXValue().intValue()).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void trainsFollowsCancelsAndOpensTheAdapter() throws Exception {
        LocalNode local = fineTuningNode();
        Desktop desktop = window.open(AppDirs.under(dir.resolve("home")), local, StudioWindow.LARGE);

        robot.clickOn("#nav-fine_tune");
        vm = robot.lookup("#finetune-view").queryAs(FineTuneView.class).model();
        @SuppressWarnings("unchecked")
        ComboBox<String> base = robot.lookup("#finetune-model").queryAs(ComboBox.class);
        await(20, () -> "tiny-chat".equals(base.getValue()));
        assertEquals(1, base.getItems().size(), "only base models are offered: " + base.getItems());

        // inline checks with the node's ranges, shown under the field while typing
        robot.doubleClickOn("#finetune-rank").eraseText(2).write("0");
        await(5, () -> text("#finetune-rank-error").contains("from 1 to 256"));
        set("#finetune-rank", "4");
        await(5, () -> !robot.lookup("#finetune-rank-error").queryAs(Label.class).isVisible());
        set("#finetune-lr", "11");
        await(5, () -> text("#finetune-lr-error").contains("at most 10"));
        set("#finetune-lr", "2.0");

        // Start without data says what is missing beside the data
        robot.clickOn("#finetune-start");
        await(5, () -> text("#finetune-data-error").contains("Choose a .jsonl or .txt file"));

        // the node's own refusal (400 with param training_text) lands beside the data, never a stack trace
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "Hi.");
        FxToolkit.setupFixture(() -> vm.chooseFile(tiny));
        await(5, () -> text("#finetune-file").contains("1 lines"));
        robot.clickOn("#finetune-start");
        await(10, () -> text("#finetune-data-error").contains("at least 9"));
        assertFalse(text("#finetune-message").contains("Exception"), text("#finetune-message"));

        // a long job: the chart moves with each metrics event, progress and speed follow; then it is cancelled
        // (about 700 tokens, 0.3 held out, x 30 epochs: under 200 steps, so the node sends metrics every step)
        Path longText = Files.writeString(dir.resolve("long.txt"), (LINE.repeat(2) + "\n").repeat(6));
        FxToolkit.setupFixture(() -> vm.chooseFile(longText));
        await(5, () -> text("#finetune-file").startsWith("long.txt — 6 lines"));
        set("#finetune-epochs", "30");
        set("#finetune-batch", "1");
        set("#finetune-suffix", "long");
        // one plain text holds out the tail of its tokens: 0.3 of it makes a validation window of the context
        set("#finetune-split", "0.3");
        // evaluate and checkpoint early, so Cancel leaves a checkpoint to resume from within seconds
        set("#finetune-eval-every", "3");
        set("#finetune-checkpoint-every", "4");
        // the estimate: the node's own figures for this file and these settings (it queues nothing)
        // (the panel may still show the estimate of the settings before: wait for the one of these, > 20 steps)
        await(20, () -> text("#finetune-estimate").startsWith("Time: about ")
                && estimatedSteps(text("#finetune-estimate")) > 20);
        String estimate = text("#finetune-estimate");
        int estimatedSteps = estimatedSteps(estimate);
        assertTrue(estimate.matches("(?s).*Memory: [0-9.]+ [KMG]i?B.*"), estimate);
        assertTrue(estimate.contains("(probe)") || estimate.contains("(measured)"), estimate);
        assertTrue(estimate.contains("\nTokens: "), estimate);
        robot.clickOn("#finetune-start");
        await(30, () -> vm.monitor().trainLoss().size() >= 3);
        int seen = vm.monitor().trainLoss().size();
        await(20, () -> vm.monitor().trainLoss().size() > seen);
        assertTrue(vm.monitor().progressProperty().get() > 0 && vm.monitor().progressProperty().get() < 1);
        assertTrue(text("#finetune-speed").endsWith("tokens/s"), text("#finetune-speed"));
        // the job runs the steps the estimate said
        assertTrue(text("#finetune-step").matches("Step [0-9]+ of " + estimatedSteps), text("#finetune-step"));
        await(10, () -> text("#finetune-eta").contains("left"));
        assertEquals("Training", text("#finetune-result-status"));
        String longId = vm.monitor().jobProperty().get().id();
        // the validation series gets its points from "evaluation" events (every 3 steps here)
        await(20, () -> !vm.monitor().validLoss().isEmpty());
        assertEquals(0, vm.monitor().validLoss().get(0).getXValue().intValue() % 3);
        NodeClient node = desktop.nodes().activeClient().orElseThrow();
        await(20, () -> !node.fineTuneCheckpoints(longId).data().isEmpty());

        robot.clickOn("#finetune-cancel");
        await(20, () -> "Cancelled".equals(text("#finetune-result-status")));
        FineTuneJob cancelled = vm.monitor().jobProperty().get();
        assertEquals("cancelled", cancelled.status());
        assertEquals(Boolean.TRUE, cancelled.resumable());
        Button resume = robot.lookup("#finetune-resume").queryButton();
        await(5, resume::isVisible);
        int checkpoint = node.fineTuneCheckpoints(longId).data().get(0).stepNumber();
        int stoppedAt = lastStep(vm.monitor().trainLoss());
        assertTrue(checkpoint > 0 && checkpoint <= stoppedAt, checkpoint + " / " + stoppedAt);

        // Resume: queued again, it goes on from the checkpoint; the curve is continued, not restarted
        robot.clickOn("#finetune-resume");
        await(30, () -> ("Training".equals(text("#finetune-result-status"))
                || "Succeeded".equals(text("#finetune-result-status")))
                && lastStep(vm.monitor().trainLoss()) > stoppedAt);
        assertFalse(resume.isVisible(), "a running job is not resumed");
        List<Integer> xs = WaitForAsyncUtils.asyncFx(() -> vm.monitor().trainLoss().stream()
                .map(p -> p.getXValue().intValue()).toList()).get(5, TimeUnit.SECONDS);
        for (int i = 1; i < xs.size(); i++) {
            assertTrue(xs.get(i) > xs.get(i - 1), "steps drawn once, in order: " + xs);
        }
        assertTrue(xs.contains(checkpoint), "the steps up to the checkpoint stay drawn: " + xs);
        List<FineTuneEvent> events = node.fineTuneEvents(longId).data();
        assertTrue(events.stream().anyMatch(e -> e.message().startsWith("Resumed: goes on from step " + checkpoint)),
                "the node went on from the checkpoint");
        // stopped again, so the next job need not wait for it
        if (!vm.monitor().jobProperty().get().finished()) {
            robot.clickOn("#finetune-cancel");
        }
        await(20, () -> vm.monitor().jobProperty().get().finished());
        int pointsOfLong = vm.monitor().trainLoss().size();
        String longStatus = text("#finetune-result-status");

        // a short job succeeds; its result card shows the adapter, losses, tokens
        Path shortText = Files.writeString(dir.resolve("short.jsonl"),
                "{\"prompt\":\"Where is the keeper? \",\"response\":\"By the lighthouse, counting waves.\"}\n"
                        .repeat(20));
        FxToolkit.setupFixture(() -> vm.chooseFile(shortText));
        await(5, () -> text("#finetune-file").startsWith("short.jsonl — 20 lines"));
        set("#finetune-epochs", "1");
        set("#finetune-batch", "2");
        set("#finetune-suffix", "short");
        set("#finetune-eval-every", "");
        set("#finetune-checkpoint-every", "");
        set("#finetune-dropout", "0.7");
        await(5, () -> text("#finetune-dropout-error").contains("from 0 to 0.5"));
        set("#finetune-dropout", "0.1");
        set("#finetune-accumulation", "0");
        await(5, () -> text("#finetune-accumulation-error").contains("from 1 to 64"));
        set("#finetune-accumulation", "2");
        await(5, () -> !robot.lookup("#finetune-accumulation-error").queryAs(Label.class).isVisible());
        robot.clickOn("#finetune-start");
        await(40, () -> "Succeeded".equals(text("#finetune-result-status")));
        String adapter = text("#finetune-result-adapter");
        assertTrue(adapter.startsWith("tiny-chat-ft-short-"), adapter);
        assertTrue(text("#finetune-result-train").contains("perplexity"), text("#finetune-result-train"));
        // validation loss and perplexity from the held-out lines, rows trained and held out
        assertTrue(text("#finetune-result-valid").matches("[0-9.]+ \\(perplexity [0-9.,]+\\)"),
                text("#finetune-result-valid"));
        assertTrue(text("#finetune-result-rows").matches("1[0-9] trained, [1-9] held out"),
                text("#finetune-result-rows"));
        assertFalse(vm.monitor().validLoss().isEmpty(), "the short job measured its validation loss");
        assertTrue(text("#finetune-result-tokens").matches("[0-9,]+"), text("#finetune-result-tokens"));
        assertFalse(vm.monitor().trainLoss().isEmpty(), "the short job drew its curve");
        assertEquals(1.0, vm.monitor().progressProperty().get());

        // the history: every job on the node, newest first; picking one shows its curve and result
        @SuppressWarnings("unchecked")
        ListView<FineTuneJob> history = robot.lookup("#finetune-history").queryAs(ListView.class);
        await(5, () -> history.getItems().size() == 2);
        assertEquals(adapter, history.getItems().get(0).fineTunedModel());
        assertEquals(2, history.getItems().get(0).hyperparameters().gradientAccumulationSteps(),
                "the node trained with the accumulation typed in the view");
        assertEquals(0.1, history.getItems().get(0).lora().dropout(), 1e-12);
        assertEquals(longId, history.getItems().get(1).id());
        FxToolkit.setupFixture(() -> history.getSelectionModel().select(1));
        await(10, () -> longStatus.equals(text("#finetune-result-status"))
                && vm.monitor().trainLoss().size() >= pointsOfLong);
        FxToolkit.setupFixture(() -> history.getSelectionModel().select(0));
        await(10, () -> "Succeeded".equals(text("#finetune-result-status")));

        // Open in Playground: the Playground, chatting with the new adapter
        robot.clickOn("#finetune-open-playground");
        assertEquals(Section.PLAYGROUND, desktop.shell().current());
        @SuppressWarnings("unchecked")
        ComboBox<String> left = robot.lookup("#playground-model-left").queryAs(ComboBox.class);
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                    () -> adapter.equals(left.getValue()) && left.getItems().contains(adapter));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("Playground shows " + left.getValue() + " of " + left.getItems(), e);
        }
    }

    /** The "Steps: N" of an estimate's text, or -1. */
    private static int estimatedSteps(String estimate) {
        java.util.regex.Matcher steps = java.util.regex.Pattern.compile("Steps: ([0-9,]+) ").matcher(estimate);
        return steps.find() ? Integer.parseInt(steps.group(1).replace(",", "")) : -1;
    }
}
