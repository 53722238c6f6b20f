package org.openledger.studio.ui.attribution;

import java.time.Duration;
import java.util.function.Supplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.openledger.studio.ui.tasks.BackgroundTask;
import org.openledger.studio.api.attribution.AttributionRecords;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.ui.tasks.BackgroundTasks;

/**
 * Reads one attribution record on a background task, asking again while the node still computes it ({@code pending})
 * until it is {@code done} or {@code failed}, {@link #stop()} is called, or it has been pending too long. The
 * record and any error are set on the FX thread.
 */
public final class RecordFollower {

    static final Duration EVERY = Duration.ofMillis(300);
    static final Duration GIVE_UP = Duration.ofMinutes(3);

    private final ObjectProperty<AttributionRecord> record = new SimpleObjectProperty<>();
    private final StringProperty error = new SimpleStringProperty();
    private BackgroundTask<AttributionRecord> task;

    private RecordFollower() {
    }

    /** Starts following record {@code id} of {@code client}'s node. Call on the FX thread. */
    public static RecordFollower follow(BackgroundTasks tasks, AttributionRecords client, String id) {
        return follow(tasks, () -> client.attribution(id), EVERY, GIVE_UP);
    }

    static RecordFollower follow(BackgroundTasks tasks, Supplier<AttributionRecord> read, Duration every,
                                 Duration giveUp) {
        RecordFollower f = new RecordFollower();
        f.task = tasks.create("Reading an attribution", p -> {
            long until = System.nanoTime() + giveUp.toNanos();
            while (true) {
                AttributionRecord r = read.get();
                if (!"pending".equals(r.state())) {
                    return r;
                }
                if (p.isCancelled()) {
                    return null;
                }
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("the node has been attributing this answer for over "
                            + giveUp.toMinutes() + " minutes");
                }
                Thread.sleep(every.toMillis());
            }
        }).onSuccess(r -> {
            if (r != null) {
                f.record.set(r);
            }
        }).onError(e -> f.error.set(e.getMessage() == null ? e.toString() : e.getMessage())).start();
        return f;
    }

    /** The record once it is done or failed; null while pending. */
    public ReadOnlyObjectProperty<AttributionRecord> recordProperty() {
        return record;
    }

    /** Why the record could not be read; null while all is well. */
    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    /** Stops asking (the answer was removed, or the view closed). */
    public void stop() {
        if (task != null) {
            task.cancel();
        }
    }

    public boolean isRunning() {
        return task != null && task.isRunning();
    }
}
