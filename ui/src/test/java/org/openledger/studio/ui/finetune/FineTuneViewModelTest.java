package org.openledger.studio.ui.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.Events;
import org.openledger.studio.api.finetune.AdapterFiles;
import org.openledger.studio.api.finetune.FineTuneApi;
import org.openledger.studio.api.finetune.FineTuneCheckpoint;
import org.openledger.studio.api.finetune.FineTuneEstimate;
import org.openledger.studio.api.finetune.FineTuneEvent;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneLists;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.api.openai.ModelList;
import org.openledger.studio.api.registry.UploadStatus;
import org.openledger.studio.ui.tasks.NodeErrors;
import org.openledger.studio.ui.tasks.TestTasks;

class FineTuneViewModelTest {

    private final FakeNode node = new FakeNode();
    private Optional<FakeNode> active = Optional.of(node);
    private final List<LocalDatanet> local = new ArrayList<>();
    private final List<String> opened = new ArrayList<>();
    private final FineTuneViewModel vm = new FineTuneViewModel(() -> active, TestTasks.immediate(), () -> local,
            opened::add);

    @Test
    void onlyBaseModelsAreOfferedAndOneIsChosen() {
        node.models = ModelList.of(List.of(model("tiny-rivers", "adapter"), model("tiny", "base")));
        vm.refreshModels();
        assertEquals(List.of("tiny"), vm.models());
        assertEquals("tiny", vm.modelProperty().get());
        assertNull(vm.errors().get(FineTuneViewModel.MODEL));
    }

    @Test
    void aNodeWithoutABaseModelSaysItCannotFineTune() {
        node.models = ModelList.of(List.of(model("tiny-rivers", "adapter")));
        vm.refreshModels();
        assertEquals("The active node serves no base model, so it cannot fine-tune",
                vm.errors().get(FineTuneViewModel.MODEL));
    }

    @Test
    void startingWithoutDataMarksTheFieldAndAsksNothing() {
        node.models = ModelList.of(List.of(model("tiny", "base")));
        vm.refreshModels();
        vm.start();
        assertEquals("Choose a .jsonl or .txt file", vm.errors().get(FineTuneViewModel.TRAINING_TEXT));
        assertEquals("Fix the fields marked to start.", vm.messageProperty().get());
        assertTrue(node.created.isEmpty());
    }

    @Test
    void aFieldTheNodeRefusesIsMarkedWithTheNodesWords() {
        readyToStart();
        node.createFailure = NodeErrors.http(400, TrainingSettings.LR, "learning_rate_multiplier must be at most 10");
        vm.start();
        assertEquals("learning_rate_multiplier must be at most 10", vm.errors().get(TrainingSettings.LR));
        assertEquals("The node refused the job: learning_rate_multiplier must be at most 10",
                vm.messageProperty().get());
        assertFalse(vm.startingProperty().get());
        assertTrue(vm.jobs().isEmpty());
    }

    @Test
    void anUnreachableNodeIsSaidAsSuch() {
        readyToStart();
        node.createFailure = NodeErrors.unreachable();
        vm.start();
        assertEquals("Could not start the job: Cannot reach the node at http://127.0.0.1:9: Connection refused",
                vm.messageProperty().get());
    }

    @Test
    void aStartedJobIsFollowedToItsEndWithItsLossCurve() {
        readyToStart();
        node.events = List.of(metrics(1, 2, 3.5), metrics(2, 2, 2.25));
        node.checkpoints = List.of(new FineTuneCheckpoint("cp-2", "fine_tuning.job.checkpoint", 0, "ft-1", 2, null,
                true));
        vm.start();

        FineTuneRequest sent = node.created.get(0);
        assertEquals("tiny", sent.model());
        assertEquals("the river floods\nthe valley drains\n", sent.trainingText());
        assertEquals("Job ft-1 queued.", vm.messageProperty().get());
        JobMonitor m = vm.monitor();
        assertEquals("succeeded", m.jobProperty().get().status());
        assertEquals(List.of(3.5, 2.25), m.trainLoss().stream().map(d -> d.getYValue().doubleValue()).toList());
        assertEquals(1.0, m.progressProperty().get());
        assertEquals("1 checkpoint, newest at step 2", m.extrasProperty().get());
        assertEquals("succeeded", vm.jobs().get(0).status(), "the history's row follows the job");
        assertTrue(node.streamsClosed > 0, "the event stream is closed once the job ended");

        vm.openInPlayground();
        assertEquals(List.of("tiny-ft-1"), opened);
    }

    @Test
    void cancelAsksTheNodeAndSaysSo() {
        readyToStart();
        node.finishAfterEvents = false; // the job runs on
        vm.start();
        vm.cancel();
        assertEquals(List.of("ft-1"), node.cancelled);
        assertEquals("Cancellation requested for ft-1.", vm.messageProperty().get());
    }

    @Test
    void aNodeThatCannotResumeIsAskedNoMore() {
        readyToStart();
        node.finishAfterEvents = false;
        vm.start();
        node.resumeFailure = NodeErrors.http(404, null, "no such route");
        vm.resume();
        assertFalse(vm.resumeSupportedProperty().get());
        assertEquals("This node cannot resume jobs.", vm.messageProperty().get());
    }

    @Test
    void theEstimateOfAnOlderNodeIsReplacedByWhyThereIsNone() {
        readyToStart();
        node.estimateFailure = NodeErrors.http(404, null, "no such route");
        vm.estimate();
        assertTrue(vm.estimateProperty().get().startsWith("This node cannot estimate jobs"),
                vm.estimateProperty().get());
        int asked = node.estimates;
        vm.estimate();
        assertEquals(asked, node.estimates, "a node without the endpoint is not asked again");
        assertFalse(vm.estimatingProperty().get());
    }

    @Test
    void anEstimateIsDescribed() {
        readyToStart();
        node.estimate = new FineTuneEstimate(2, 2, 0, 0, 40, 0, 256, 6, 8192, 1000.0, "measured", 12.0, 1L << 20,
                "cpu", List.of("only 2 rows: expect little to change"));
        vm.estimate();
        assertTrue(vm.estimateProperty().get().contains("Steps: 6"), vm.estimateProperty().get());
        assertEquals("only 2 rows: expect little to change", vm.estimateWarningsProperty().get());
    }

    @Test
    void datanetsAreOfferedWhenTheNodeHoldsFinishedRowsOfThem() {
        local.add(new LocalDatanet("1", "Rivers"));
        local.add(new LocalDatanet("2", "Glaciers"));
        node.contributions.put(BigInteger.ONE, List.of(upload("1", "complete", 40), upload("1", "open", 9)));
        vm.refreshDatanets();
        assertEquals(1, vm.datanets().size());
        assertEquals("Rivers", vm.datanets().get(0).datanet().name());
        assertEquals(40, vm.datanets().get(0).rows());
        assertEquals("", vm.datanetNoteProperty().get());
    }

    @Test
    void aNodeWithoutARegistrySaysSo() {
        local.add(new LocalDatanet("1", "Rivers"));
        node.contributionsFailure = NodeErrors.http(404, null, "not found");
        vm.refreshDatanets();
        assertEquals("This node has no Datanet registry.", vm.datanetNoteProperty().get());
    }

    @Test
    void withoutANodeNothingIsAsked() {
        active = Optional.empty();
        vm.refresh();
        assertEquals("No node is connected: start the local node or make one active in Nodes.",
                vm.messageProperty().get());
        assertEquals("No node is connected.", vm.datanetNoteProperty().get());
    }

    private void readyToStart() {
        node.models = ModelList.of(List.of(model("tiny", "base")));
        vm.refreshModels();
        vm.useText("rivers.txt", "the river floods\nthe valley drains\n");
    }

    private static ModelList.Model model(String id, String kind) {
        return new ModelList.Model(id, "model", 0, "studio", "tiny", null, kind, 256);
    }

    private static FineTuneEvent metrics(int step, int total, double loss) {
        return new FineTuneEvent("ev-" + step, "fine_tuning.job.event", 0, "info", "step " + step, "metrics",
                new FineTuneEvent.Metrics(step, total, loss, 1000.0));
    }

    private static UploadStatus upload(String datanet, String state, int rows) {
        return new UploadStatus("up-" + datanet + state, datanet, "0xabc", "0x00", state, 1, List.of(0), rows);
    }

    private static FineTuneJob job(String status) {
        return new FineTuneJob("ft-1", "fine_tuning.job", 1, null, "tiny",
                "succeeded".equals(status) ? "tiny-ft-1" : null, status, null, null, 7, null, null, null);
    }

    /** The node's fine-tuning API: one job, ft-1, queued when created and succeeded once its events are read. */
    private static final class FakeNode implements FineTuneApi {
        ModelList models;
        RuntimeException createFailure;
        RuntimeException resumeFailure;
        RuntimeException estimateFailure;
        RuntimeException contributionsFailure;
        FineTuneEstimate estimate;
        int estimates;
        List<FineTuneEvent> events = List.of();
        List<FineTuneCheckpoint> checkpoints = List.of();
        boolean finishAfterEvents = true;
        final Map<BigInteger, List<UploadStatus>> contributions = new HashMap<>();
        final List<FineTuneRequest> created = new ArrayList<>();
        final List<String> cancelled = new ArrayList<>();
        int streamsClosed;
        private FineTuneJob now;

        @Override
        public ModelList models() {
            return models;
        }

        @Override
        public List<UploadStatus> datanetContributions(BigInteger datanetId) {
            if (contributionsFailure != null) {
                throw contributionsFailure;
            }
            return contributions.getOrDefault(datanetId, List.of());
        }

        @Override
        public FineTuneEstimate estimateFineTune(FineTuneRequest request) {
            estimates++;
            if (estimateFailure != null) {
                throw estimateFailure;
            }
            return estimate;
        }

        @Override
        public FineTuneJob createFineTuneJob(FineTuneRequest request) {
            if (createFailure != null) {
                throw createFailure;
            }
            created.add(request);
            now = job("queued");
            return now;
        }

        @Override
        public FineTuneLists.Jobs fineTuneJobs() {
            return new FineTuneLists.Jobs("list", now == null ? List.of() : List.of(now), false);
        }

        @Override
        public FineTuneJob fineTuneJob(String id) {
            return now;
        }

        @Override
        public Events<FineTuneEvent> followFineTuneEvents(String id) {
            Deque<FineTuneEvent> left = new ArrayDeque<>(events);
            return new Events<>() {
                @Override
                public FineTuneEvent next() {
                    FineTuneEvent e = left.poll();
                    if (e == null && finishAfterEvents) {
                        now = job("succeeded");
                    }
                    return e;
                }

                @Override
                public void close() {
                    streamsClosed++;
                }
            };
        }

        @Override
        public FineTuneJob cancelFineTuneJob(String id) {
            cancelled.add(id);
            return now;
        }

        @Override
        public FineTuneJob resumeFineTuneJob(String id) {
            if (resumeFailure != null) {
                throw resumeFailure;
            }
            return now;
        }

        @Override
        public FineTuneLists.Checkpoints fineTuneCheckpoints(String id) {
            return new FineTuneLists.Checkpoints("list", checkpoints, false);
        }

        @Override
        public FineTuneLists.Rows fineTuneRows(String id) {
            return new FineTuneLists.Rows("list", List.of(), false);
        }

        @Override
        public AdapterFiles adapterFiles(String adapterId) {
            throw new UnsupportedOperationException("not asked in these tests");
        }
    }
}
