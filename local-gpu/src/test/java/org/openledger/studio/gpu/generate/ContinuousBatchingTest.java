package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.lora.AdapterBatch;
import org.openledger.studio.gpu.lora.AdapterWeights;
import org.openledger.studio.gpu.lora.TinyAdapters;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.TinyModels;

/**
 * The check: 32 rows over 20 adapters of different ranks and target modules (and the base model), with
 * different prompt lengths, completion lengths and sampling settings, joining and leaving the running batch at
 * different steps, each give exactly the tokens, and log-probabilities within 1e-5, that the row gets alone.
 */
class ContinuousBatchingTest {

    private static final int[] RANKS = {1, 2, 4, 8, 16};
    private static final List<Set<Projection>> TARGETS = List.of(
            EnumSet.of(Projection.Q, Projection.V),
            EnumSet.allOf(Projection.class),
            EnumSet.of(Projection.O, Projection.DOWN),
            EnumSet.of(Projection.GATE, Projection.UP, Projection.K));

    @TempDir
    Path dir;

    @Test
    void everyRowOfAMixedContinuousBatchGetsWhatItGetsAlone() throws Exception {
        ModelConfig c = TinyModels.chatModel(dir, 11);
        ExecutorService worker = Executors.newSingleThreadExecutor();
        List<AdapterWeights> adapters = new ArrayList<>();
        try (BaseModel model = BaseModel.load(dir, DeviceScan.ofThisMachine().pick("cpu"), 32, 128)) {
            for (int a = 0; a < 20; a++) {
                adapters.add(model.upload(TinyAdapters.random("a" + a, c, RANKS[a % RANKS.length], 2 * RANKS[a % 5],
                        TARGETS.get(a % TARGETS.size()), a % 3 == 0, 100 + a, false)));
            }
            Random rnd = new Random(5);
            List<GenerationRequest> requests = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                long[] prompt = new long[3 + rnd.nextInt(30)];
                for (int t = 0; t < prompt.length; t++) {
                    prompt[t] = 2 + rnd.nextInt(c.vocabSize() - 2);
                }
                GenerationRequest.Builder b = GenerationRequest.builder(prompt).maxTokens(2 + rnd.nextInt(14))
                        .stopAtEndOfSequence(false).logprobs(2).promptLogprobs(i % 7 == 0)
                        .adapter(i % 11 == 10 ? null : adapters.get(i % 20));
                if (i % 2 == 0) {
                    b.greedy();
                } else {
                    b.temperature(0.7 + 0.1 * (i % 4)).topK(i % 3 == 0 ? 0 : 40).topP(0.95).seed((long) i);
                }
                requests.add(b.build());
            }
            Generator generator = new Generator(model);
            // 12 rows at once and 8 prompt tokens a step: newcomers join as others leave, their prompts in chunks
            BatchScheduler scheduler = new BatchScheduler(generator, worker, BatchScheduler.Settings.of(model)
                    .withMaxRows(12).withPrefillTokens(8).withStrategy(AdapterBatch.Strategy.AUTO));
            List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
            CountDownLatch running = new CountDownLatch(1);
            for (int i = 0; i < 16; i++) {
                futures.add(scheduler.submit(requests.get(i), e -> running.countDown()));
            }
            assertTrue(running.await(60, TimeUnit.SECONDS));
            for (int i = 16; i < 32; i++) { // these arrive while the first rows decode
                futures.add(scheduler.submit(requests.get(i), TokenListener.NONE));
            }
            int tokens = 0;
            // alone: the same node settings, one row at a time
            BatchScheduler single = new BatchScheduler(generator, worker, scheduler.settings().withMaxRows(1));
            for (int i = 0; i < 32; i++) {
                GenerationResult got = futures.get(i).get(120, TimeUnit.SECONDS);
                GenerationResult alone = single.submit(requests.get(i), TokenListener.NONE).get(60, TimeUnit.SECONDS);
                assertArrayEquals(alone.tokenIds(), got.tokenIds(), "row " + i);
                assertEquals(alone.finishReason(), got.finishReason());
                for (int t = 0; t < alone.tokens().size(); t++) {
                    assertEquals(alone.tokens().get(t).logprob(), got.tokens().get(t).logprob(), 1e-5,
                            "row " + i + " token " + t);
                    assertEquals(alone.tokens().get(t).top().get(1).logprob(), got.tokens().get(t).top().get(1).logprob(),
                            1e-5);
                }
                for (int t = 1; t < alone.prompt().size() && requests.get(i).promptLogprobs(); t++) {
                    assertEquals(alone.prompt().get(t).logprob(), got.prompt().get(t).logprob(), 1e-5);
                }
                tokens += got.tokens().size();
            }
            assertEquals(32, scheduler.admitted());
            assertEquals(32, single.steps() > 0 ? single.admitted() : -1);
            assertTrue(scheduler.steps() < tokens / 3, scheduler.steps() + " steps for " + tokens
                    + " tokens: the rows did not share steps");
            assertEquals(scheduler.settings().kvTokens(), scheduler.freeKvTokens(), "every row gave its KV back");
        } finally {
            worker.shutdownNow();
            adapters.forEach(AdapterWeights::close);
        }
    }
}
