package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.model.TinyModels;

class GenerationQueueTest {

    @TempDir
    Path dir;

    @Test
    void queuedRequestsRunTogetherAndEachGetsItsOwnResult() throws Exception {
        TinyModels.chatModel(dir, 3);
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (BaseModel model = BaseModel.load(dir, DeviceScan.ofThisMachine().pick("cpu"))) {
            Generator generator = new Generator(model);
            GenerationQueue queue = new GenerationQueue(generator, worker, 8);
            CountDownLatch hold = new CountDownLatch(1);
            worker.execute(() -> {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            List<GenerationRequest> requests = new ArrayList<>();
            List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
            List<StringBuilder> streams = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                GenerationRequest r = GenerationRequest.builder(Prompts.completion(model, "The cat " + "sat ".repeat(i)))
                        .greedy().maxTokens(3 + i).stopAtEndOfSequence(false).build();
                StringBuilder sb = new StringBuilder();
                requests.add(r);
                streams.add(sb);
                futures.add(queue.submit(r, e -> {
                    assertEquals(0, e.row());
                    sb.append(e.textDelta());
                }));
            }
            InvalidRequestException bad = assertThrows(InvalidRequestException.class,
                    () -> queue.submit(GenerationRequest.builder(new long[] {1}).topP(2).build(), TokenListener.NONE));
            assertEquals("top_p", bad.param());
            hold.countDown();
            for (int i = 0; i < 4; i++) {
                GenerationResult got = futures.get(i).get(60, TimeUnit.SECONDS);
                GenerationResult alone = generator.generate(requests.get(i), TokenListener.NONE);
                assertArrayEquals(alone.tokenIds(), got.tokenIds());
                assertEquals(got.text(), streams.get(i).toString());
            }
            assertEquals(1, queue.batches(), "the four waiting requests ran as one batch");
            assertEquals(4, queue.rows());
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void maxTokensNearIntegerMaxIsRefusedNotWrappedPastTheContext() throws Exception {
        TinyModels.chatModel(dir, 3);
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (BaseModel model = BaseModel.load(dir, DeviceScan.ofThisMachine().pick("cpu"))) {
            GenerationQueue queue = new GenerationQueue(new Generator(model), worker, 8);
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> queue.submit(
                    GenerationRequest.builder(Prompts.completion(model, "The cat")).maxTokens(Integer.MAX_VALUE)
                            .build(), TokenListener.NONE));
            assertEquals("max_tokens", e.param());
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void aCancelledRowEndsAtOnceWhileTheOthersOfItsBatchGoOn() throws Exception {
        TinyModels.chatModel(dir, 3);
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (BaseModel model = BaseModel.load(dir, DeviceScan.ofThisMachine().pick("cpu"))) {
            GenerationQueue queue = new GenerationQueue(new Generator(model), worker, 8);
            CountDownLatch hold = new CountDownLatch(1);
            worker.execute(() -> {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long[] prompt = Prompts.completion(model, "The cat");
            int rest = model.context() - prompt.length;
            List<Integer> gone = new ArrayList<>();
            CompletableFuture<GenerationResult>[] cancelled = new CompletableFuture[1];
            cancelled[0] = queue.submit(GenerationRequest.builder(prompt).greedy().maxTokens(rest)
                    .stopAtEndOfSequence(false).build(), e -> {
                        gone.add(1);
                        cancelled[0].cancel(false); // the client went away after its first token
                    });
            CompletableFuture<GenerationResult> kept = queue.submit(GenerationRequest.builder(prompt).greedy()
                    .maxTokens(rest).stopAtEndOfSequence(false).build(), TokenListener.NONE);
            hold.countDown();
            assertEquals(rest, kept.get(60, TimeUnit.SECONDS).tokenIds().length);
            assertEquals(1, queue.batches(), "both rows ran in one batch");
            assertEquals(1, gone.size(), "the cancelled row generated nothing after its client went away");
        } finally {
            worker.shutdownNow();
        }
    }
}
