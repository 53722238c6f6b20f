package org.openledger.studio.gpu.generate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves concurrent requests (e.g. from HTTP threads) in shared batches: requests wait in a queue, and one
 * worker at a time takes up to {@code maxBatch} of them, whatever adapters they name, into one
 * {@link Generator#generate(List, TokenListener)} call. Batching rows raises decode throughput because every
 * decoding step streams the weights once for all rows. Requests are validated on submission, so a bad request
 * is refused at once and never fails a batch. Cancelling a request's future (its client went away) ends its row
 * before the next token, even while its batch runs.
 */
public final class GenerationQueue {

    private record Pending(GenerationRequest request, TokenListener listener,
                           CompletableFuture<GenerationResult> result) {
    }

    private final Generator generator;
    private final Executor worker;
    private final int maxBatch;
    private final Deque<Pending> queue = new ArrayDeque<>();
    private boolean draining;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();

    /** @param worker runs the batches; a single-thread executor is enough, since one batch runs at a time */
    public GenerationQueue(Generator generator, Executor worker, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.generator = generator;
        this.worker = worker;
        this.maxBatch = maxBatch;
    }

    /**
     * Queues a request; its listener gets its events with row 0.
     *
     * @throws InvalidRequestException at once, when the request cannot be served
     */
    public CompletableFuture<GenerationResult> submit(GenerationRequest request, TokenListener listener)
            throws InvalidRequestException {
        generator.validate(request);
        CompletableFuture<GenerationResult> result = new CompletableFuture<>();
        synchronized (this) {
            queue.add(new Pending(request, listener, result));
            if (!draining) {
                draining = true;
                worker.execute(this::drain);
            }
        }
        return result;
    }

    /** Batches run so far. */
    public long batches() {
        return batches.get();
    }

    /** Rows generated so far; rows / batches is the mean batch size. */
    public long rows() {
        return rows.get();
    }

    private void drain() {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            synchronized (this) {
                while (batch.size() < maxBatch && !queue.isEmpty()) {
                    Pending p = queue.poll();
                    if (!p.result().isCancelled()) {
                        batch.add(p);
                    }
                }
                if (batch.isEmpty()) {
                    draining = false;
                    return;
                }
            }
            run(batch);
        }
    }

    private void run(List<Pending> batch) {
        batches.incrementAndGet();
        rows.addAndGet(batch.size());
        try {
            List<GenerationResult> results = generator.generate(batch.stream().map(Pending::request).toList(),
                    e -> batch.get(e.row()).listener().onEvent(new TokenEvent(0, e.token(), e.textDelta(), e.finish())),
                    row -> batch.get(row).result().isCancelled());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (Exception | Error e) {
            for (Pending p : batch) {
                p.result().completeExceptionally(e);
            }
            if (e instanceof Error error) {
                throw error;
            }
        }
    }
}
