package org.openledger.studio.daemon.inference;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.gpu.generate.TokenEvent;
import org.openledger.studio.gpu.generate.TokenListener;

/**
 * Carries token events from the generation thread to the thread writing a streamed response, so a slow client
 * never holds up a batch: the generator only appends to a queue.
 *
 * @param <T> what the work returns when done
 */
public final class TokenPipe<T> implements TokenListener {

    /** Writes one event to the client. */
    @FunctionalInterface
    public interface Sink {
        void accept(TokenEvent event) throws java.io.IOException;
    }

    /** Work that streams into a pipe. */
    @FunctionalInterface
    public interface Work<T> {
        T run(TokenListener listener) throws Exception;
    }

    private final BlockingQueue<TokenEvent> events = new LinkedBlockingQueue<>();
    private Future<T> future;

    private TokenPipe() {
    }

    @Override
    public void onEvent(TokenEvent event) {
        events.add(event);
    }

    /**
     * Starts {@code work} on {@code executor} and returns once its first event arrived or it ended, so that a
     * request that fails at once (unknown model, bad prompt) can still be answered with an error status.
     *
     * @throws Exception what the work threw, when it failed before its first event
     */
    public static <T> TokenPipe<T> start(ExecutorService executor, Work<T> work) throws Exception {
        TokenPipe<T> pipe = new TokenPipe<>();
        Callable<T> call = () -> work.run(pipe);
        pipe.future = executor.submit(call);
        while (pipe.events.isEmpty() && !pipe.future.isDone()) {
            Thread.sleep(1);
        }
        if (pipe.future.isDone() && pipe.events.isEmpty()) {
            pipe.result(); // throws the failure, if any
        }
        return pipe;
    }

    /**
     * Hands every event to {@code sink} until the work is done; then returns its result. When the sink fails (the
     * client went away), the work is cancelled at once (its thread is interrupted, which cancels its rows), so that a
     * row nobody reads stops taking batch slots.
     */
    public T drain(Sink sink) throws Exception {
        boolean done = false;
        try {
            while (true) {
                TokenEvent e = events.poll(20, TimeUnit.MILLISECONDS);
                if (e != null) {
                    sink.accept(e);
                } else if (future.isDone() && events.isEmpty()) {
                    done = true;
                    return result();
                }
            }
        } finally {
            if (!done) {
                future.cancel(true);
            }
        }
    }

    private T result() throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
