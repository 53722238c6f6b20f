package org.openledger.studio.daemon.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.gpu.generate.GenerationRequest;
import org.openledger.studio.gpu.generate.GenerationResult;
import org.openledger.studio.gpu.generate.Generator;
import org.openledger.studio.gpu.generate.InvalidRequestException;
import org.openledger.studio.gpu.generate.TokenEvent;
import org.openledger.studio.gpu.generate.TokenListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lane of generation on the device. Requests that arrive while a batch runs are gathered into the next batch,
 * up to {@code maxRows} rows, whatever adapter each row uses (the runtime applies a different adapter per row), so
 * many clients share each forward pass. Rows are validated before they join a batch, so one bad request never fails
 * another's.
 */
public final class GenerationQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GenerationQueue.class);

    private record Job(List<GenerationRequest> rows, TokenListener listener,
                       CompletableFuture<List<GenerationResult>> done) {
    }

    private final Generator generator;
    private final int maxRows;
    private final BlockingQueue<Job> waiting = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;

    public GenerationQueue(Generator generator, int maxRows) {
        this.generator = generator;
        this.maxRows = maxRows;
        this.worker = new Thread(this::run, "generation");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Queues rows for generation; the listener receives their events with row indexes as given here.
     *
     * @throws InvalidRequestException when a row cannot be served (checked now, not in the batch)
     */
    public CompletableFuture<List<GenerationResult>> submit(List<GenerationRequest> rows, TokenListener listener)
            throws InvalidRequestException {
        if (rows.size() > maxRows) {
            throw new InvalidRequestException("n", "at most " + maxRows + " completions per request on this node");
        }
        for (GenerationRequest r : rows) {
            generator.validate(r);
        }
        if (closed) {
            throw new CancellationException("the node is shutting down");
        }
        Job job = new Job(List.copyOf(rows), listener, new CompletableFuture<>());
        waiting.add(job);
        return job.done();
    }

    private void run() {
        while (!closed) {
            List<Job> batch = new ArrayList<>();
            try {
                Job first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int rows = first.rows().size();
                Job next;
                while ((next = waiting.peek()) != null && rows + next.rows().size() <= maxRows) {
                    batch.add(waiting.poll());
                    rows += next.rows().size();
                }
                runBatch(batch);
            } catch (InterruptedException e) {
                batch.forEach(j -> j.done().completeExceptionally(new CancellationException("the node is shutting down")));
                break;
            } catch (RuntimeException | Error e) {
                log.error("Generation failed", e);
                batch.forEach(j -> j.done().completeExceptionally(e));
            }
        }
        Job j;
        while ((j = waiting.poll()) != null) {
            j.done().completeExceptionally(new CancellationException("the node is shutting down"));
        }
    }

    private void runBatch(List<Job> batch) {
        List<GenerationRequest> rows = new ArrayList<>();
        int[] firstRow = new int[batch.size()];
        Job[] owner = new Job[batch.stream().mapToInt(b -> b.rows().size()).sum()];
        for (int i = 0; i < batch.size(); i++) {
            firstRow[i] = rows.size();
            for (GenerationRequest r : batch.get(i).rows()) {
                owner[rows.size()] = batch.get(i);
                rows.add(r);
            }
        }
        TokenListener route = e -> {
            Job job = owner[e.row()];
            int offset = firstRow[batch.indexOf(job)];
            job.listener().onEvent(new TokenEvent(e.row() - offset, e.token(), e.textDelta(), e.finish()));
        };
        List<GenerationResult> results;
        try {
            results = generator.generate(rows, route);
        } catch (InvalidRequestException e) {
            // rows were validated on submit; reaching here is a bug, reported to every caller of the batch
            throw new IllegalStateException(e.getMessage(), e);
        }
        for (int i = 0; i < batch.size(); i++) {
            Job job = batch.get(i);
            job.done().complete(List.copyOf(results.subList(firstRow[i], firstRow[i] + job.rows().size())));
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
