package org.openledger.studio.ui.tasks;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work off the FX thread and hands results back on it: on-success, on-error, finally, progress and cancel, on
 * an injected executor. Every task shows in {@link #running()} (the status bar lists them) until it ends.
 */
public final class BackgroundTasks {

    private static final Logger log = LoggerFactory.getLogger(BackgroundTasks.class);

    private final Executor executor;
    private final ObservableList<Task<?>> running = FXCollections.observableArrayList();
    // one wrapper for everyone: a wrapper only forwards changes while something holds it
    private final ObservableList<Task<?>> runningView = FXCollections.unmodifiableObservableList(running);

    public BackgroundTasks(Executor executor) {
        this.executor = Objects.requireNonNull(executor);
    }

    /** Tasks that have not ended yet; changed on the FX thread only. */
    public ObservableList<Task<?>> running() {
        return runningView;
    }

    public <T> Builder<T> create(String title, Work<T> work) {
        return new Builder<>(title, work);
    }

    /** Configures and starts one task. */
    public final class Builder<T> {
        private final String title;
        private final Work<T> work;
        private Consumer<T> onSuccess = r -> {
        };
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

        public Builder<T> onError(Consumer<Throwable> c) {
            this.onError = c;
            return this;
        }

        public Builder<T> andFinally(Runnable r) {
            this.andFinally = r;
            return this;
        }

        /** Starts the task; call from the FX thread. */
        public Task<T> start() {
            Task<T> task = new Task<>() {
                @Override
                protected T call() throws Exception {
                    updateTitle(title);
                    Task<T> self = this;
                    return work.run(new Progress() {
                        @Override
                        public void update(long done, long total) {
                            updateProgress(done, total);
                        }

                        @Override
                        public void message(String message) {
                            updateMessage(message);
                        }

                        @Override
                        public boolean isCancelled() {
                            // the task's, not this method (which would call itself)
                            return self.isCancelled();
                        }
                    });
                }
            };
            task.setOnSucceeded(e -> finish(task, () -> onSuccess.accept(task.getValue())));
            task.setOnFailed(e -> finish(task, () -> onError.accept(task.getException())));
            task.setOnCancelled(e -> finish(task, () -> {
            }));
            runOnFx(() -> running.add(task));
            try {
                executor.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the studio is closing (its executor is shut down): nothing new starts, and nothing is left running
                runOnFx(() -> running.remove(task));
                task.cancel(false);
            }
            return task;
        }

        private void finish(Task<T> task, Runnable outcome) {
            running.remove(task);
            try {
                outcome.run();
            } finally {
                andFinally.run();
            }
        }
    }

    private static void runOnFx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }
}
