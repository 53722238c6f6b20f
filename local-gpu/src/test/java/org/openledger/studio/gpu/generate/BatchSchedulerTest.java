package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.model.TinyModels;

class BatchSchedulerTest {

    @TempDir
    Path dir;
    private ExecutorService worker;
    private BaseModel model;
    private Generator generator;
    private final CountDownLatch hold = new CountDownLatch(1);

    @BeforeEach
    void load() throws Exception {
        TinyModels.chatModel(dir, 3);
        worker = Executors.newSingleThreadExecutor();
        model = BaseModel.load(dir, DeviceScan.ofThisMachine().pick("cpu"));
        generator = new Generator(model);
    }

    @AfterEach
    void close() {
        worker.shutdownNow();
        model.close();
    }

    /** Keeps the worker busy until {@link #hold} counts down, so that submissions queue up. */
    private void holdWorker() {
        worker.execute(() -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private GenerationRequest request(String text, int maxTokens) throws Exception {
        return GenerationRequest.builder(Prompts.completion(model, text)).greedy().maxTokens(maxTokens)
                .stopAtEndOfSequence(false).build();
    }

    @Test
    void queuedRequestsRunTogetherAndEachGetsItsOwnResult() throws Exception {
        BatchScheduler scheduler = new BatchScheduler(generator, worker, BatchScheduler.Settings.of(model));
        holdWorker();
        List<GenerationRequest> requests = new ArrayList<>();
        List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
        List<StringBuilder> streams = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            GenerationRequest r = request("The cat " + "sat ".repeat(i), 3 + i);
            StringBuilder sb = new StringBuilder();
            requests.add(r);
            streams.add(sb);
            futures.add(scheduler.submit(r, e -> {
                assertEquals(0, e.row());
                sb.append(e.textDelta());
            }));
        }
        InvalidRequestException bad = assertThrows(InvalidRequestException.class,
                () -> scheduler.submit(GenerationRequest.builder(new long[] {1}).topP(2).build(), TokenListener.NONE));
        assertEquals("top_p", bad.param());
        InvalidRequestException wrapped = assertThrows(InvalidRequestException.class, () -> scheduler.submit(
                GenerationRequest.builder(Prompts.completion(model, "The cat")).maxTokens(Integer.MAX_VALUE).build(),
                TokenListener.NONE));
        assertEquals("max_tokens", wrapped.param());
        hold.countDown();
        for (int i = 0; i < 4; i++) {
            GenerationResult got = futures.get(i).get(60, TimeUnit.SECONDS);
            GenerationResult alone = generator.generate(requests.get(i), TokenListener.NONE);
            assertArrayEquals(alone.tokenIds(), got.tokenIds());
            assertEquals(got.text(), streams.get(i).toString());
        }
        // 4 rows of 3..6 tokens alone take 18 decoding steps and 4 prefills; together, one prefill and 6 steps
        assertTrue(scheduler.steps() <= 8, scheduler.steps() + " steps");
    }

    @Test
    void aCancelledRowLeavesAtOnceAndItsKvBlocksLetTheNextOneIn() throws Exception {
        long[] prompt = Prompts.completion(model, "The cat");
        int rest = model.context() - prompt.length;
        // KV room for one long row only: the second waits until the first leaves
        BatchScheduler scheduler = new BatchScheduler(generator, worker, BatchScheduler.Settings.of(model)
                .withKvTokens(model.context()));
        List<Integer> seen = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        CompletableFuture<GenerationResult> first = scheduler.submit(request("The cat", rest), e -> {
            seen.add(1);
            started.countDown();
            try {
                cancelled.await(); // the step waits here until the client went away
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<GenerationResult> second = scheduler.submit(request("The dog", 4), TokenListener.NONE);
        assertTrue(started.await(60, TimeUnit.SECONDS));
        assertEquals(1, scheduler.queued(), "the second row waits for KV blocks");
        first.cancel(false);
        cancelled.countDown();
        assertEquals(4, second.get(60, TimeUnit.SECONDS).tokenIds().length);
        assertEquals(1, seen.size(), "the cancelled row generated nothing after its client went away");
        assertTrue(scheduler.steps() < 10, "the cancelled row left at once: " + scheduler.steps() + " steps");
        assertEquals(scheduler.settings().kvTokens(), scheduler.freeKvTokens());
        assertTrue(first.isCancelled());
    }

    @Test
    void aFullQueueRefusesAndACancelledWaiterMakesRoom() throws Exception {
        BatchScheduler scheduler = new BatchScheduler(generator, worker, BatchScheduler.Settings.of(model)
                .withQueueLimit(2));
        holdWorker();
        CompletableFuture<GenerationResult> a = scheduler.submit(request("The cat", 2), TokenListener.NONE);
        CompletableFuture<GenerationResult> b = scheduler.submit(request("The dog", 2), TokenListener.NONE);
        QueueFullException full = assertThrows(QueueFullException.class,
                () -> scheduler.submit(request("A cat", 2), TokenListener.NONE));
        assertTrue(full.getMessage().contains("2 requests are waiting"), full.getMessage());
        assertEquals(1, full.retryAfterSeconds());
        a.cancel(false);
        assertEquals(1, scheduler.queued(), "a client that went away leaves the queue at once");
        CompletableFuture<GenerationResult> c = scheduler.submit(request("A cat", 2), TokenListener.NONE);
        hold.countDown();
        assertEquals(2, b.get(60, TimeUnit.SECONDS).tokenIds().length);
        assertEquals(2, c.get(60, TimeUnit.SECONDS).tokenIds().length);
        assertEquals(2, scheduler.admitted());
    }

    @Test
    void aRequestPastItsTimeOutFailsAndFreesItsPlace() throws Exception {
        BatchScheduler scheduler = new BatchScheduler(generator, worker, BatchScheduler.Settings.of(model)
                .withTimeout(Duration.ofMillis(1)));
        holdWorker();
        CompletableFuture<GenerationResult> late = scheduler.submit(request("The cat", 50), TokenListener.NONE);
        Thread.sleep(5);
        hold.countDown();
        ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(60, TimeUnit.SECONDS));
        assertInstanceOf(GenerationTimeoutException.class, e.getCause());
        assertEquals(0, scheduler.queued());
        assertEquals(0, scheduler.running());
    }
}
