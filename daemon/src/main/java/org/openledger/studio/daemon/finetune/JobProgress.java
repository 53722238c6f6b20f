package org.openledger.studio.daemon.finetune;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.openledger.studio.api.finetune.FineTuneEvent;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.finetune.TrainingListener;
import org.openledger.studio.store.CrashPoint;

/**
 * What a run reports, turned into the job's progress and result and its events: a metrics event about 200 times a
 * run (and at the last step), one per evaluation and per checkpoint; each step's speed goes to the estimator.
 */
final class JobProgress implements TrainingListener {

    /** Where the progress goes: the job table and its event list. */
    interface Jobs {
        void progressed(String id, long trainedTokens, FineTuneJob.Result result, long etaEpochSecond);

        void event(String id, String level, String message, FineTuneEvent.Metrics metrics, String type);
    }

    private final String id;
    private final JobSpec spec;
    private final Jobs jobs;
    private final FineTuneStore store;
    private final FineTuneEstimator estimator;
    private final int every;
    private final long began = System.nanoTime();
    private int firstStep = -1;
    private double trainLoss = Double.NaN;
    private Double validLoss;

    JobProgress(String id, JobSpec spec, Jobs jobs, FineTuneStore store, FineTuneEstimator estimator) {
        this.id = id;
        this.spec = spec;
        this.jobs = jobs;
        this.store = store;
        this.estimator = estimator;
        this.every = Math.max(1, spec.steps() / 200);
    }

    @Override
    public void onStep(StepReport r) {
        if (firstStep < 0) {
            firstStep = r.step() - 1;
        }
        trainLoss = r.loss();
        double perStep = (System.nanoTime() - began) / 1e9 / Math.max(1, r.step() - firstStep);
        double eta = perStep * (r.steps() - r.step());
        estimator.measured(spec, r.tokensPerSecond());
        jobs.progressed(id, r.step() * spec.tokensPerStep(), result(r.step()),
                Instant.now().getEpochSecond() + Math.round(eta));
        if (r.step() % every == 0 || r.step() == r.steps()) {
            jobs.event(id, "info", String.format(Locale.ROOT, "Step %d/%d: training loss=%.4f", r.step(), r.steps(),
                    r.loss()), new FineTuneEvent.Metrics(r.step(), r.steps(), finite(r.loss()), r.tokensPerSecond(),
                    r.learningRate(), eta, null, null), "metrics");
        }
    }

    @Override
    public void onEvaluation(Evaluation e) {
        validLoss = e.loss();
        jobs.event(id, "info", String.format(Locale.ROOT, "Step %d/%d: validation loss=%.4f, perplexity=%.2f over %d"
                        + " windows", e.step(), spec.steps(), e.loss(), e.perplexity(), e.windows()),
                new FineTuneEvent.Metrics(e.step(), spec.steps(), finite(trainLoss), null, null, null,
                        finite(e.loss()), finite(e.perplexity())), "evaluation");
    }

    @Override
    public void onCheckpoint(int step, Path dir) {
        CrashPoint.reach("finetune.checkpoint"); // the files are in place, the database does not know yet
        store.checkpointSaved(id, step, Instant.now().getEpochSecond(), trainLoss, validLoss);
        jobs.event(id, "info", "Checkpoint saved at step " + step, new FineTuneEvent.Metrics(step, spec.steps(),
                finite(trainLoss), null, null, null, finite(validLoss), null), "checkpoint");
    }

    /** The job's result after {@code steps} steps. */
    FineTuneJob.Result result(int steps) {
        JobSpec.Data d = spec.data();
        return new FineTuneJob.Result(steps, spec.steps(), finite(trainLoss), finite(validLoss),
                validLoss == null ? null : finite(Math.exp(validLoss)), d.trainingDocuments(),
                d.validationDocuments(), d.splitDocuments());
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Double finite(Double v) {
        return v == null ? null : finite(v.doubleValue());
    }
}
