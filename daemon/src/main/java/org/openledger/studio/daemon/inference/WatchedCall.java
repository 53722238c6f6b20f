package org.openledger.studio.daemon.inference;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.openledger.studio.gpu.generate.TokenListener;

/**
 * A non-streamed answer: its work runs on another thread while the HTTP thread asks every {@link #POLL_MILLIS} ms
 * whether the client is still there; when it is not, the work is cancelled (its thread interrupted, which cancels
 * its rows), so a row nobody will read stops taking batch slots, as a streamed one does.
 */
public final class WatchedCall {

    static final long POLL_MILLIS = 200;

    private WatchedCall() {
    }

    /**
     * @param clientGone polled while the work runs
     * @return the work's result, or empty when the client went away first (the work is cancelled then)
     * @throws Exception what the work threw
     */
    public static <T> Optional<T> run(ExecutorService executor, TokenPipe.Work<T> work, BooleanSupplier clientGone)
            throws Exception {
        Future<T> future = executor.submit(() -> work.run(TokenListener.NONE));
        boolean ended = false;
        try {
            while (true) {
                try {
                    T result = future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    ended = true;
                    return Optional.of(result);
                } catch (TimeoutException notYet) {
                    if (clientGone.getAsBoolean()) {
                        return Optional.empty();
                    }
                } catch (ExecutionException e) {
                    ended = true;
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw e;
                }
            }
        } finally {
            if (!ended) {
                future.cancel(true);
            }
        }
    }
}
