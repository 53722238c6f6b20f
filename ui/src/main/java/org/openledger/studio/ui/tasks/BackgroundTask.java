package org.openledger.studio.ui.tasks;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One piece of background work as the UI sees it: its title, progress and message, whether it still runs, and
 * cancel. Its properties change on the UI executor only (the FX thread in the studio), so views may bind to them.
 * Made and started by {@link BackgroundTasks}.
 */
public final class BackgroundTask<T> {

    private final Executor ui;
    private final ReadOnlyStringWrapper title;
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(-1);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(true);
    /** The newest progress from the worker not yet shown; the worker posts once per batch of updates. */
    private final AtomicReference<double[]> pendingProgress = new AtomicReference<>();
    private final AtomicReference<String> pendingMessage = new AtomicReference<>();
    private volatile boolean cancelled;
    private volatile Thread worker;
    /** Set on the UI executor when the task has ended one way or another; later outcomes are dropped. */
    private boolean ended;
    private Runnable onCancel = () -> {
    };

    BackgroundTask(String title, Executor ui) {
        this.title = new ReadOnlyStringWrapper(title);
        this.ui = ui;
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public String getTitle() {
        return title.get();
    }

    /** What the work last said it is doing. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Done fraction 0..1, or -1 while unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** True until the task succeeds, fails or is cancelled. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public boolean isRunning() {
        return running.get();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Cancels the task: it ends now (nothing of its outcome is delivered), and the work is interrupted and sees
     * {@link Progress#isCancelled()}. Call on the UI executor; does nothing once the task has ended.
     */
    public void cancel() {
        if (ended) {
            return;
        }
        cancelled = true;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
        end(onCancel);
    }

    /** Runs {@code work} on the calling (worker) thread and hands its outcome to the UI executor. */
    void run(Work<T> work, java.util.function.Consumer<T> success, java.util.function.Consumer<Throwable> failure) {
        if (cancelled) {
            return;
        }
        worker = Thread.currentThread();
        T value;
        try {
            value = work.run(progressReporter());
        } catch (Throwable e) {
            ui.execute(() -> end(() -> failure.accept(e)));
            return;
        } finally {
            worker = null;
            if (cancelled) {
                Thread.interrupted(); // the interrupt was for this task, not for the pool's next one
            }
        }
        ui.execute(() -> end(() -> success.accept(value)));
    }

    void onCancel(Runnable r) {
        this.onCancel = r;
    }

    /** Ends the task once, on the UI executor: stops running, then the outcome. */
    private void end(Runnable outcome) {
        if (ended) {
            return;
        }
        ended = true;
        running.set(false);
        outcome.run();
    }

    private Progress progressReporter() {
        return new Progress() {
            @Override
            public void update(long done, long total) {
                double fraction = total <= 0 ? -1 : Math.min(1.0, (double) done / total);
                if (pendingProgress.getAndSet(new double[]{fraction}) == null) {
                    ui.execute(() -> {
                        double[] latest = pendingProgress.getAndSet(null);
                        if (latest != null && !ended) {
                            progress.set(latest[0]);
                        }
                    });
                }
            }

            @Override
            public void message(String text) {
                if (pendingMessage.getAndSet(text == null ? "" : text) == null) {
                    ui.execute(() -> {
                        String latest = pendingMessage.getAndSet(null);
                        if (latest != null && !ended) {
                            message.set(latest);
                        }
                    });
                }
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }
        };
    }
}
