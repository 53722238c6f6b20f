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
}
