package org.openledger.studio.ui.finetune;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openledger.studio.ui.tasks.BackgroundTask;
import javafx.scene.chart.XYChart;
import org.openledger.studio.api.Events;
import org.openledger.studio.api.finetune.FineTuneApi;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.api.finetune.FineTuneCheckpoint;
import org.openledger.studio.api.finetune.FineTuneEvent;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.TrainedRow;
import org.openledger.studio.ui.tasks.BackgroundTasks;

/**
 * The job the Fine-tune view shows: its state, its loss curves (training loss per step, validation loss per
 * evaluation), progress, speed and time left, followed on a background task through the node's stream of the job's
 * events (server-sent) until it ends.
 * One job at a time: showing another stops following the previous one.
 */
public final class JobMonitor {

    private final ActiveNode<FineTuneApi> activeNode;
    private final BackgroundTasks tasks;
    private final Consumer<FineTuneJob> onUpdate;
    private final ObjectProperty<FineTuneJob> job = new SimpleObjectProperty<>();
    private final ObservableList<XYChart.Data<Number, Number>> trainLoss = FXCollections.observableArrayList();
    private final ObservableList<XYChart.Data<Number, Number>> validLoss = FXCollections.observableArrayList();
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty speed = new SimpleStringProperty("");
    private final StringProperty eta = new SimpleStringProperty("");
    private final StringProperty stepText = new SimpleStringProperty("");
    private final StringProperty extras = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private BackgroundTask<?> following;
    private final AtomicReference<Events<FineTuneEvent>> open = new AtomicReference<>();
    private long generation;
    private FineTuneEvent.Metrics last;

    /** {@code onUpdate} hears every fresh state of the job (the history list keeps its row current). */
    JobMonitor(ActiveNode<FineTuneApi> activeNode, BackgroundTasks tasks, Consumer<FineTuneJob> onUpdate) {
        this.activeNode = activeNode;
        this.tasks = tasks;
        this.onUpdate = onUpdate;
    }

    public ReadOnlyObjectProperty<FineTuneJob> jobProperty() {
        return job;
    }

    public ObservableList<XYChart.Data<Number, Number>> trainLoss() {
        return trainLoss;
    }

    public ObservableList<XYChart.Data<Number, Number>> validLoss() {
        return validLoss;
    }

    /** 0..1, or -1 (indeterminate) while queued. */
    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty speedProperty() {
        return speed;
    }

    public StringProperty etaProperty() {
        return eta;
    }

    public StringProperty stepProperty() {
        return stepText;
    }

    /** Checkpoints and Datanet rows of a finished job, where the node reports them. */
    public StringProperty extrasProperty() {
        return extras;
    }

    public StringProperty errorProperty() {
        return error;
    }

    /** The last metrics seen, for the result card's training loss when the node sent no result. */
    FineTuneEvent.Metrics lastMetrics() {
        return last;
    }

    /** Shows {@code j}: clears the chart, loads its events and follows it until it ends. */
    public void show(FineTuneJob j) {
        stop();
        long gen = ++generation;
        job.set(j);
        trainLoss.clear();
        validLoss.clear();
        last = null;
        progress.set(j.finished() ? 1 : j.status().equals("queued") ? -1 : 0);
        speed.set("");
        eta.set("");
        stepText.set("");
        extras.set("");
        error.set("");
        Optional<? extends FineTuneApi> client = activeNode.get();
        if (client.isEmpty()) {
            error.set("No node is connected.");
            return;
        }
        FineTuneApi node = client.get();
        Queue<FineTuneEvent> pending = new ConcurrentLinkedQueue<>();
        AtomicBoolean drainScheduled = new AtomicBoolean();
        AtomicReference<FineTuneJob> latest = new AtomicReference<>(j);
        following = tasks.create("Following " + j.id(), p -> {
            latest.set(node.fineTuneJob(j.id()));
            Events<FineTuneEvent> stream = node.followFineTuneEvents(j.id());
            open.set(stream);
            try (stream) {
                if (p.isCancelled()) {
                    return null;
                }
                long readAt = System.nanoTime();
                FineTuneEvent e;
                while ((e = stream.next()) != null) {
                    // a job's state changes with its "info" events (queued, running, cancelled...); steps between
                    // them only move the curve, so the job itself is read again at most four times a second then
                    if (e.data() == null || System.nanoTime() - readAt > 250_000_000L) {
                        FineTuneJob now = node.fineTuneJob(j.id());
                        // a job that ends while its stream is open still has its last events (the final
                        // evaluation) to come: its end is shown once the stream has closed and they are drawn
                        if (!now.finished() || latest.get().finished()) {
                            latest.set(now);
                        }
                        readAt = System.nanoTime();
                    }
                    if (e.data() != null && e.data().totalSteps() > 0) {
                        p.update(e.data().step(), e.data().totalSteps());
                    }
                    pending.add(e);
                    deliver(gen, pending, drainScheduled, latest);
                }
            } finally {
                open.compareAndSet(stream, null);
            }
            if (p.isCancelled()) {
                return null;
            }
            FineTuneJob done = node.fineTuneJob(j.id());
            latest.set(done);
            deliver(gen, pending, drainScheduled, latest);
            return done.finished() ? done : null;
        }).onSuccess(done -> {
            if (gen == generation && done != null) {
                finished(node, done, gen);
            }
        }).onError(e -> {
            if (gen == generation) {
                error.set("Lost track of the job: " + NodeFailures.message(e));
            }
        }).start();
    }

    /**
     * Hands the events that arrived to the FX thread: one pass per burst (a job's history arrives all at once when
     * it is first shown), so the thread is never flooded with one update per event.
     */
    private void deliver(long gen, Queue<FineTuneEvent> pending, AtomicBoolean scheduled,
                         AtomicReference<FineTuneJob> latest) {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        tasks.onUi(() -> {
            scheduled.set(false);
            List<FineTuneEvent> fresh = new ArrayList<>();
            for (FineTuneEvent e; (e = pending.poll()) != null; ) {
                fresh.add(e);
            }
            if (gen == generation) {
                apply(latest.get(), fresh);
            }
        });
    }

    /** Stops following (the job goes on on the node). */
    public void stop() {
        // cancelled first: a task that opens its stream after this reads the cancel and closes it itself
        if (following != null) {
            following.cancel();
            following = null;
        }
        Events<FineTuneEvent> stream = open.getAndSet(null);
        if (stream != null) {
            stream.close();
        }
    }

    /** Nothing shown. */
    public void clear() {
        stop();
        generation++;
        job.set(null);
        trainLoss.clear();
        validLoss.clear();
        progress.set(0);
        speed.set("");
        eta.set("");
        stepText.set("");
        extras.set("");
        error.set("");
    }

    private void apply(FineTuneJob now, List<FineTuneEvent> fresh) {
        job.set(now);
        onUpdate.accept(now);
        for (FineTuneEvent e : fresh) {
            FineTuneEvent.Metrics m = e.data();
            if (m == null) {
                continue;
            }
            // "checkpoint" events repeat the losses of a step already drawn: they only move the progress
            if ("evaluation".equals(e.type())) {
                if (m.validLoss() != null && Double.isFinite(m.validLoss())) {
                    restartAt(validLoss, m.step());
                    validLoss.add(new XYChart.Data<>(m.step(), m.validLoss()));
                }
            } else if ("metrics".equals(e.type()) || e.type() == null) {
                if (m.trainLoss() != null && Double.isFinite(m.trainLoss())) {
                    // a resumed job goes on from its checkpoint: steps after it drawn by the stopped run are redone
                    if (restartAt(trainLoss, m.step())) {
                        validLoss.removeIf(d -> d.getXValue().intValue() >= m.step());
                    }
                    trainLoss.add(new XYChart.Data<>(m.step(), m.trainLoss()));
                }
                if (m.validLoss() != null && Double.isFinite(m.validLoss())) {
                    restartAt(validLoss, m.step());
                    validLoss.add(new XYChart.Data<>(m.step(), m.validLoss()));
                }
                last = m;
            }
            if (m.totalSteps() > 0) {
                progress.set((double) m.step() / m.totalSteps());
                stepText.set("Step " + m.step() + " of " + m.totalSteps());
            }
            if (m.tokensPerSecond() != null) {
                speed.set(Units.rate(m.tokensPerSecond()));
            }
        }
        switch (now.status()) {
            case "queued" -> {
                progress.set(-1);
                eta.set("Queued: waits for the job before it");
            }
            case "running" -> eta.set(etaText(now));
            default -> {
                eta.set("");
                if ("succeeded".equals(now.status())) {
                    progress.set(1);
                }
            }
        }
    }

    /** Drops the points at {@code step} and after (a run that went on from an earlier checkpoint); true if any. */
    private static boolean restartAt(ObservableList<XYChart.Data<Number, Number>> series, int step) {
        if (series.isEmpty() || series.get(series.size() - 1).getXValue().intValue() < step) {
            return false;
        }
        return series.removeIf(d -> d.getXValue().intValue() >= step);
    }

    /** The node's ETA when it sends one, else its estimated finish. */
    private String etaText(FineTuneJob now) {
        if (last != null && last.etaSeconds() != null) {
            return "About " + Units.duration(last.etaSeconds()) + " left";
        }
        if (now.estimatedFinish() != null) {
            return "About " + Units.duration(now.estimatedFinish() - Instant.now().getEpochSecond()) + " left";
        }
        return eta.get();
    }

    /** A finished job's checkpoints and Datanet rows; an older node without those endpoints says nothing. */
    private void finished(FineTuneApi node, FineTuneJob done, long gen) {
        tasks.create("Reading " + done.id(), p -> {
            StringBuilder sb = new StringBuilder();
            try {
                List<FineTuneCheckpoint> cps = node.fineTuneCheckpoints(done.id()).data();
                if (!cps.isEmpty()) {
                    sb.append(cps.size()).append(cps.size() == 1 ? " checkpoint" : " checkpoints")
                            .append(", newest at step ").append(cps.get(0).stepNumber());
                }
            } catch (RuntimeException e) {
                if (!NodeFailures.unsupported(e)) {
                    throw e;
                }
            }
            if (done.datanets() != null && !done.datanets().isEmpty()) {
                try {
                    List<TrainedRow> rows = node.fineTuneRows(done.id()).data();
                    long train = rows.stream().filter(r -> "train".equals(r.split())).count();
                    sb.append(sb.length() > 0 ? " · " : "").append(Units.count(train)).append(" Datanet rows trained, ")
                            .append(Units.count(rows.size() - train)).append(" held out");
                } catch (RuntimeException e) {
                    if (!NodeFailures.unsupported(e)) {
                        throw e;
                    }
                }
            }
            return sb.toString();
        }).onSuccess(s -> {
            if (gen == generation) {
                extras.set(s);
            }
        }).onError(e -> {
            if (gen == generation) {
                extras.set("Checkpoints and rows unavailable: " + NodeFailures.message(e));
            }
        }).start();
    }
}
