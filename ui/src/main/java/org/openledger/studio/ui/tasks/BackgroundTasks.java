package org.openledger.studio.ui.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work on an injected worker executor and hands results back on an injected UI executor (the FX thread in the
 * studio): on-success, typed on-error, finally, progress and cancel. Every task shows in {@link #running()} (the
 * status bar lists them) until it ends. View-models take one of these, so their tests pass executors that run
 * everything at once on the test's thread, with no FX toolkit.
 */
public final class BackgroundTasks {

    private static final Logger log = LoggerFactory.getLogger(BackgroundTasks.class);

    private final Executor executor;
    private final Executor ui;
    private final ObservableList<BackgroundTask<?>> running = FXCollections.observableArrayList();
    // one wrapper for everyone: a wrapper only forwards changes while something holds it
    private final ObservableList<BackgroundTask<?>> runningView = FXCollections.unmodifiableObservableList(running);

    /** Work on {@code executor}, results on the FX thread. */
    public BackgroundTasks(Executor executor) {
        this(executor, FxThread.INSTANCE);
    }

    /**
     * @param executor runs the work
     * @param ui       runs everything that touches the UI's state: outcomes, progress, {@link #onUi}
     */
    public BackgroundTasks(Executor executor, Executor ui) {
        this.executor = Objects.requireNonNull(executor);
        this.ui = Objects.requireNonNull(ui);
    }

    /** Tasks that have not ended yet; changed on the UI executor only. */
    public ObservableList<BackgroundTask<?>> running() {
        return runningView;
    }

    public <T> Builder<T> create(String title, Work<T> work) {
        return new Builder<>(title, work);
    }

    /**
     * Runs {@code r} on the UI executor: what work hands to the UI while it runs (a streamed token, a burst of
     * events), and what a timer does to the UI's state.
     */
    public void onUi(Runnable r) {
        ui.execute(r);
    }

    /** Configures and starts one task. */
    public final class Builder<T> {
        private final String title;
        private final Work<T> work;
        private Consumer<T> onSuccess = r -> {
        };
        private final List<Handler<?>> handlers = new ArrayList<>();
        private Consumer<Throwable> onError;
        private Runnable andFinally = () -> {
        };

        private Builder(String title, Work<T> work) {
            this.title = title;
            this.work = work;
            this.onError = e -> log.warn("{} failed", title, e);
        }

        public Builder<T> onSuccess(Consumer<T> c) {
            this.onSuccess = c;
            return this;
        }

        /** What any failure not handled by a typed {@link #onError(Class, Consumer)} does. */
        public Builder<T> onError(Consumer<Throwable> c) {
            this.onError = c;
            return this;
        }

        /**
         * What a failure of {@code type} (or a subtype) does, e.g. the node's {@code NodeClientException} with its
         * kind and status; typed handlers are tried in the order given, before {@link #onError(Consumer)}.
         */
        public <X extends Throwable> Builder<T> onError(Class<X> type, Consumer<? super X> c) {
            handlers.add(new Handler<>(type, c));
            return this;
        }

        public Builder<T> andFinally(Runnable r) {
            this.andFinally = r;
            return this;
        }

        /** Starts the task; call on the UI executor. */
        public BackgroundTask<T> start() {
            BackgroundTask<T> task = new BackgroundTask<>(title, ui);
            running.add(task);
            task.onCancel(() -> finish(task, () -> {
            }));
            try {
                executor.execute(() -> task.run(work, v -> finish(task, () -> onSuccess.accept(v)),
                        e -> finish(task, () -> fail(e))));
            } catch (RejectedExecutionException closing) {
                // the studio is closing (its executor is shut down): nothing new starts, and nothing is left running
                task.cancel();
            }
            return task;
        }

        private void fail(Throwable e) {
            for (Handler<?> h : handlers) {
                if (h.offer(e)) {
                    return;
                }
            }
            onError.accept(e);
        }

        private void finish(BackgroundTask<T> task, Runnable outcome) {
            running.remove(task);
            try {
                outcome.run();
            } finally {
                andFinally.run();
            }
        }
    }

    private record Handler<X extends Throwable>(Class<X> type, Consumer<? super X> handler) {
        boolean offer(Throwable e) {
            if (!type.isInstance(e)) {
                return false;
            }
            handler.accept(type.cast(e));
            return true;
        }
    }
}
