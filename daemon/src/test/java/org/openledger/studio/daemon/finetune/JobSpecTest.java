package org.openledger.studio.daemon.finetune;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.api.finetune.TrainedRow;
import org.openledger.studio.datanet.ingest.InstructionText;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.gpu.tokenizer.ChatMessage;

/** How a request's data becomes token streams: the split, packing, and the loss mask of instruction pairs. */
class JobSpecTest {

    @TempDir
    static Path dir;

    private static BaseModel base;

    @BeforeAll
    static void load() throws Exception {
        TinyModels.chatModel(dir.resolve("tiny-chat"), 7);
        base = BaseModel.load(dir.resolve("tiny-chat"), ComputeDevice.cpu("test cpu", 8L << 30, 4L << 30), 4, 128);
    }

    @AfterAll
    static void close() {
        base.close();
    }

    private static JobSpec spec(String text, double split) throws InvalidFineTuneException {
        return JobSpec.of(new FineTuneRequest(base.id(), text, null,
                new FineTuneRequest.Hyperparameters(1, 2, 1.0, split, null, null), null, null, 3L), base, 0,
                DatanetRows.NONE);
    }

    @Test
    void instructionPairsAreRenderedByTheChatTemplateAndOnlyTheirResponsesAreLearned() throws Exception {
        String pair = "{\"prompt\":\"Where is the keeper?\",\"response\":\"By the lighthouse.\"}\n";
        JobSpec s = spec(pair.repeat(12), 0.0);
        JobSpec.Data d = s.data();
        assertNotNull(d.trainTargets(), "instruction data carries a loss mask");
        var tokenizer = base.requireTokenizer();
        var template = base.chatTemplate().orElseThrow();
        String prefix = template.render(List.of(ChatMessage.user("Where is the keeper?")), true);
        String full = template.render(List.of(ChatMessage.user("Where is the keeper?"),
                new ChatMessage("assistant", "By the lighthouse.")), false);
        int promptTokens = tokenizer.encodeWithSpecialTokens("<|endoftext|>" + prefix).length;
        int responseTokens = tokenizer.encodeWithSpecialTokens(full.substring(prefix.length())).length;
        assertEquals(12 * (promptTokens + responseTokens), d.train().length);
        int learned = 0;
        for (int i = 0; i < d.trainTargets().length; i++) {
            boolean inResponse = i % (promptTokens + responseTokens) >= promptTokens;
            assertEquals(inResponse, d.trainTargets()[i], "token " + i);
            learned += d.trainTargets()[i] ? 1 : 0;
        }
        assertEquals(12 * responseTokens, learned);
        assertTrue(s.documentsAsJsonLines().startsWith("{\"prompt\":\"Where is the keeper?\",\"response\":"),
                "a resumed job is rebuilt as pairs, not as flattened text");
        assertArrayEquals(d.train(), spec(s.documentsAsJsonLines(), 0.0).data().train());
    }

    @Test
    void plainTextHasNoMaskAndTheValidationSplitIsSeeded() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            jsonl.append("{\"text\":\"The keeper counts ").append(i).append(" waves.\"}\n");
        }
        JobSpec a = spec(jsonl.toString(), 0.2);
        assertNull(a.data().trainTargets());
        assertEquals(6, a.data().validationDocuments());
        assertEquals(24, a.data().trainingDocuments());
        assertArrayEquals(a.data().validation(), spec(jsonl.toString(), 0.2).data().validation(),
                "the same seed holds out the same documents");
        JobSpec one = spec("A single long text about the sea and its lighthouse keeper, who counts waves.", 0.2);
        assertEquals(0, one.data().validationDocuments());
        assertTrue(one.data().validation().length > 0, "one document: the tail of its tokens is held out");
    }

    @Test
    void instructionRowsOfADatanetTrainAsPairsLikeTheirJsonLines() throws Exception {
        List<DatanetRows.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            rows.add(new DatanetRows.Row(InstructionText.of("Where is the keeper?", "At night", "By the lighthouse."),
                    new TrainedRow("dn-1", "upl-1", i, "0x" + i, "0xabc", null)));
        }
        JobSpec fromDatanet = JobSpec.of(new FineTuneRequest(base.id(), null, List.of("dn-1"),
                new FineTuneRequest.Hyperparameters(1, 2, 1.0, 0.0, null, null), null, null, 3L), base, 0,
                id -> id.equals("dn-1") ? rows : null);
        String pair = "{\"prompt\":\"Where is the keeper?\\n\\nAt night\",\"response\":\"By the lighthouse.\"}\n";
        JobSpec fromLines = spec(pair.repeat(12), 0.0);
        assertNotNull(fromDatanet.data().trainTargets(), "instruction rows carry a loss mask");
        assertArrayEquals(fromLines.data().train(), fromDatanet.data().train());
        assertArrayEquals(fromLines.data().trainTargets(), fromDatanet.data().trainTargets());
        String alpaca = "{\"instruction\":\"Where is the keeper?\",\"input\":\"At night\","
                + "\"output\":\"By the lighthouse.\"}\n";
        assertArrayEquals(fromLines.data().trainTargets(), spec(alpaca.repeat(12), 0.0).data().trainTargets(),
                "Alpaca field names read as the same pair");
    }

    @Test
    void plainRowsOfADatanetHaveNoMask() throws Exception {
        List<DatanetRows.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            rows.add(new DatanetRows.Row("The keeper counts " + i + " waves.",
                    new TrainedRow("dn-1", "upl-1", i, "0x" + i, "0xabc", null)));
        }
        JobSpec s = JobSpec.of(new FineTuneRequest(base.id(), null, List.of("dn-1"),
                new FineTuneRequest.Hyperparameters(1, 2, 1.0, 0.0, null, null), null, null, 3L), base, 0,
                id -> rows);
        assertNull(s.data().trainTargets());
    }

    @Test
    void accumulatedMicroBatchesMakeFewerLargerSteps() throws Exception {
        String text = "The keeper counts the waves by the lighthouse every night of the year. ".repeat(40);
        JobSpec one = JobSpec.of(new FineTuneRequest(base.id(), text, new FineTuneRequest.Hyperparameters(2, 2, 1.0,
                0.0, null, null, 1), null, null, 3L), base, 0, DatanetRows.NONE);
        JobSpec four = JobSpec.of(new FineTuneRequest(base.id(), text, new FineTuneRequest.Hyperparameters(2, 2, 1.0,
                0.0, null, null, 4), null, null, 3L), base, 0, DatanetRows.NONE);
        assertEquals(4 * one.tokensPerStep(), four.tokensPerStep());
        long tokens = 2L * one.data().train().length;
        assertEquals((tokens + four.tokensPerStep() - 1) / four.tokensPerStep(), four.steps());
        assertTrue(four.steps() < one.steps(), four.steps() + " vs " + one.steps());
        assertEquals(4, four.hyperparameters().gradientAccumulationSteps(), "kept for a resume");
    }
}
