package org.openledger.studio.gpu.generate;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.MemoryPlan;
import org.openledger.studio.gpu.lora.AdapterBatch;
import org.openledger.studio.gpu.lora.LoraCostModel;

/**
 * Serves concurrent requests (e.g. from HTTP threads) with continuous batching: one worker runs decoding steps
 * over the live rows, whatever adapters they use; between any two steps waiting requests join (while rows and KV
 * blocks are free) and rows that ended, were cancelled or timed out leave. Waiting requests are admitted by deficit
 * round robin over adapters ({@link FairQueue}), so one busy adapter cannot starve the others, and the queue is
 * bounded: beyond {@link Settings#queueLimit()} a submission is refused with {@link QueueFullException}.
 * Requests are validated on submission, so a bad request is refused at once and never fails a step.
 */
public final class BatchScheduler implements AutoCloseable {

    /**
     * @param maxRows        rows decoded together at most
     * @param kvTokens       KV cache slots over all rows; a row reserves its prompt + max_tokens
     * @param prefillTokens  prompt tokens fed per step over all joining rows: bounds how long a newcomer's prompt
     *                       stalls the decoding rows
     * @param queueLimit     requests waiting at most
     * @param timeout        longest a request may wait and run; then it leaves with {@link GenerationTimeoutException}
     * @param strategy       how rows of different adapters share a step's LoRA term (AUTO: by {@code costs})
     * @param costs          predicts each LoRA path's cost for the per-step choice
     * @param merging        when one dominant adapter is merged into a copy of the base weights
     */
    public record Settings(int maxRows, int kvTokens, int prefillTokens, int queueLimit, Duration timeout,
                           AdapterBatch.Strategy strategy, LoraCostModel costs, Merging merging) {

        public Settings {
            if (maxRows < 1 || kvTokens < 1 || prefillTokens < 1 || queueLimit < 0) {
                throw new IllegalArgumentException("rows, KV tokens and prefill tokens must be positive, the queue"
                        + " limit 0 or more");
            }
            java.util.Objects.requireNonNull(costs, "costs");
            java.util.Objects.requireNonNull(merging, "merging");
        }

        /**
         * The model's memory plan: its batch of rows, the KV cache it planned for, 64 prompt tokens a step; LoRA
         * paths by the built-in CPU cost model; merging a dominant adapter into a copy of at most the device memory
         * left beside the plan (the caller takes off what else it keeps there, such as the adapters' device tier).
         */
        public static Settings of(BaseModel model) {
            MemoryPlan plan = model.memoryPlan();
            long left = (long) (model.device().freeBytes() * MemoryPlan.USABLE_SHARE) - plan.totalBytes();
            return new Settings(plan.batch(), plan.batch() * plan.context(), 64, 256, Duration.ofMinutes(10),
                    AdapterBatch.Strategy.AUTO, LoraCostModel.cpuDefaults(), Merging.upTo(Math.max(0, left)));
        }

        public Settings withMaxRows(int v) {
            return new Settings(v, kvTokens, prefillTokens, queueLimit, timeout, strategy, costs, merging);
        }

        public Settings withKvTokens(int v) {
            return new Settings(maxRows, v, prefillTokens, queueLimit, timeout, strategy, costs, merging);
        }

        public Settings withPrefillTokens(int v) {
            return new Settings(maxRows, kvTokens, v, queueLimit, timeout, strategy, costs, merging);
        }

        public Settings withQueueLimit(int v) {
            return new Settings(maxRows, kvTokens, prefillTokens, v, timeout, strategy, costs, merging);
        }

        public Settings withTimeout(Duration v) {
            return new Settings(maxRows, kvTokens, prefillTokens, queueLimit, v, strategy, costs, merging);
        }

        public Settings withStrategy(AdapterBatch.Strategy v) {
            return new Settings(maxRows, kvTokens, prefillTokens, queueLimit, timeout, v, costs, merging);
        }

        public Settings withCosts(LoraCostModel v) {
            return new Settings(maxRows, kvTokens, prefillTokens, queueLimit, timeout, strategy, v, merging);
        }

        public Settings withMerging(Merging v) {
            return new Settings(maxRows, kvTokens, prefillTokens, queueLimit, timeout, strategy, costs, v);
        }
    }

    private static final class Pending {
        final GenerationRequest request;
        final TokenListener listener;
        final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
        final long deadline;
        final String adapter;

        Pending(GenerationRequest request, TokenListener listener, long deadline) {
            this.request = request;
            this.listener = listener;
            this.deadline = deadline;
            this.adapter = request.adapter() == null ? "" : request.adapter().id();
        }

        boolean expired(long now) {
            return now - deadline > 0;
        }
    }

    private final Generator generator;
    private final Executor worker;
    private final Settings settings;
    /** A request's cost in tokens for fairness; one adapter's turn earns a full context's worth. */
    private final FairQueue<Pending> queue;
    private boolean draining;
    private boolean closed;
    /** Rows running now, by their place in the batch; touched by the worker only, read under the lock. */
    private final Map<LiveRow, Pending> running = new IdentityHashMap<>();
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong admitted = new AtomicLong();
    private volatile int liveRows;
    private volatile int freeKvTokens;
    private volatile String mergedAdapter;
    private final AtomicLong mergedSteps = new AtomicLong();
    private final AtomicLong splitSteps = new AtomicLong();
    private final AtomicLong merges = new AtomicLong();
    /** The running batch's merged steps, split steps and merges as of the last step; touched by the worker. */
    private final long[] seen = new long[3];

    /** @param worker runs the decoding loop; a single-thread executor is enough, since one loop runs at a time */
    public BatchScheduler(Generator generator, Executor worker, Settings settings) {
        this.generator = generator;
        this.worker = worker;
        this.settings = settings;
        this.queue = new FairQueue<>(generator.model().context());
        this.freeKvTokens = settings.kvTokens();
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Queues a request; its listener gets its events with row 0. Cancelling the returned future (the client went
     * away) takes the request out of the queue, or its row out of the batch before the next step.
     *
     * @throws InvalidRequestException at once, when the request cannot be served
     * @throws QueueFullException      when {@link Settings#queueLimit()} requests wait already
     */
    public CompletableFuture<GenerationResult> submit(GenerationRequest request, TokenListener listener)
            throws InvalidRequestException {
        generator.validate(request);
        if (LiveRow.need(request) > settings.kvTokens()) {
            throw new InvalidRequestException("max_tokens", "the prompt and max_tokens need "
                    + LiveRow.need(request) + " KV cache slots but this node holds " + settings.kvTokens()
                    + " over all rows; reduce the prompt or max_tokens");
        }
        Pending p = new Pending(request, listener, System.nanoTime() + settings.timeout().toNanos());
        synchronized (this) {
            if (closed) {
                throw new CancellationException("the scheduler is closed");
            }
            if (queue.size() >= settings.queueLimit()) {
                throw new QueueFullException(queue.size() + " requests are waiting already (the node's limit is "
                        + settings.queueLimit() + "); retry shortly", 1);
            }
            queue.add(p.adapter, p, LiveRow.need(request));
            if (!draining) {
                draining = true;
                worker.execute(this::drain);
            }
        }
        p.result.whenComplete((r, e) -> {
            if (p.result.isCancelled()) {
                synchronized (this) {
                    queue.remove(p);
                }
            }
        });
        return p.result;
    }

    /** Requests waiting to join. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Rows in the running batch, as of the last step. */
    public int running() {
        return liveRows;
    }

    /** KV cache slots free, as of the last step. */
    public int freeKvTokens() {
        return freeKvTokens;
    }

    /** Decoding steps run so far. */
    public long steps() {
        return steps.get();
    }

    /** The id of the adapter merged into a copy of the base weights now (as of the last step), or null. */
    public String mergedAdapter() {
        return mergedAdapter;
    }

    /** Steps whose rows all ran on a merged copy, with no LoRA term. */
    public long mergedSteps() {
        return mergedSteps.get();
    }

    /** Steps run as two passes: a merged adapter's rows on its copy, the rest on the base weights. */
    public long splitSteps() {
        return splitSteps.get();
    }

    /** Times an adapter was merged so far. */
    public long merges() {
        return merges.get();
    }

    /** Requests that joined a batch so far. */
    public long admitted() {
        return admitted.get();
    }

    private void drain() {
        Generator g = generator;
        java.util.Arrays.fill(seen, 0);
        try (RunningBatch batch = new RunningBatch(g.model(), settings.kvTokens(), g.prefillChunk(),
                settings.prefillTokens(), settings.strategy(), settings.costs(), settings.merging())) {
            while (true) {
                synchronized (this) {
                    admit(batch);
                    if (batch.isEmpty()) {
                        draining = false;
                        liveRows = 0;
                        mergedAdapter = null;
                        freeKvTokens = settings.kvTokens();
                        return;
                    }
                }
                step(batch);
            }
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                running.values().forEach(p -> p.result.completeExceptionally(e));
                running.clear();
                draining = false;
                if (!queue.isEmpty() && !closed) {
                    draining = true;
                    try {
                        worker.execute(this::drain);
                    } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                        draining = false;
                    }
                }
            }
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    /** Moves waiting requests into the batch while rows and KV blocks are free. Under the lock. */
    private void admit(RunningBatch batch) {
        long now = System.nanoTime();
        while (batch.size() < settings.maxRows() && !closed) {
            Pending p = queue.poll();
            if (p == null) {
                return;
            }
            if (p.result.isDone()) {
                continue;
            }
            if (p.expired(now)) {
                p.result.completeExceptionally(timedOut(p));
                continue;
            }
            LiveRow row = batch.admit(p.request, 0, p.listener);
            if (row == null) {
                queue.unpoll(p.adapter, p, LiveRow.need(p.request)); // waits for KV blocks to free
                return;
            }
            running.put(row, p);
            admitted.incrementAndGet();
        }
    }

    /** Adds what the batch counted since the last step to the scheduler's counts. */
    private void account(RunningBatch batch) {
        mergedSteps.addAndGet(batch.mergedSteps() - seen[0]);
        splitSteps.addAndGet(batch.splitSteps() - seen[1]);
        merges.addAndGet(batch.merges() - seen[2]);
        seen[0] = batch.mergedSteps();
        seen[1] = batch.splitSteps();
        seen[2] = batch.merges();
    }

    private GenerationTimeoutException timedOut(Pending p) {
        return new GenerationTimeoutException("the request did not finish within " + settings.timeout().toSeconds()
                + " s (the node's time-out); it was stopped");
    }

    private void step(RunningBatch batch) {
        long now = System.nanoTime();
        List<LiveRow> ended = batch.step(row -> {
            Pending p = running.get(row);
            return closed || p.result.isDone() || p.expired(now);
        });
        steps.incrementAndGet();
        liveRows = batch.size();
        mergedAdapter = batch.mergedAdapter();
        account(batch);
        freeKvTokens = batch.freeKvTokens();
        synchronized (this) {
            for (LiveRow row : ended) {
                Pending p = running.remove(row);
                if (row.finish == FinishReason.CANCELLED) {
                    if (closed) {
                        p.result.completeExceptionally(new CancellationException("the scheduler was closed"));
                    } else if (!p.result.isDone()) {
                        p.result.completeExceptionally(timedOut(p));
                    }
                } else {
                    p.result.complete(row.result());
                }
            }
        }
    }

    /** Refuses new requests and fails the waiting ones; running rows leave at the next step. */
    @Override
    public void close() {
        List<Pending> waiting;
        synchronized (this) {
            closed = true;
            waiting = queue.drain();
        }
        waiting.forEach(p -> p.result.completeExceptionally(new CancellationException("the scheduler was closed")));
    }
}
