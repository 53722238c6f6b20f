package org.openledger.studio.daemon.finetune;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.openledger.studio.api.finetune.FineTuneEstimate;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.finetune.LoraTrainable;
import org.openledger.studio.finetune.Trainer;
import org.openledger.studio.finetune.TrainingConfig;
import org.openledger.studio.finetune.TrainingListener;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fine-tuning job would do and cost before it is queued: documents, windows, steps, LoRA parameters and
 * memory, and the time at the training speed measured on this node for the same LoRA shape and batch geometry
 * (every running job reports its speed here), or, when there is none and the trainer is idle, two short probe steps.
 */
final class FineTuneEstimator {

    private static final Logger log = LoggerFactory.getLogger(FineTuneEstimator.class);

    private final BaseModel base;
    private final DatanetRows registry;
    private final ExecutorService trainer;
    private final BooleanSupplier trainerBusy;
    /** Training tokens per second measured on this node, by LoRA shape and batch geometry. */
    private final Map<String, Double> speeds = new HashMap<>();

    /**
     * @param trainer     the jobs' single training thread, which the probe runs on so it never competes with a job
     * @param trainerBusy whether a job holds the trainer (or the node is stopping): then nothing is probed
     */
    FineTuneEstimator(BaseModel base, DatanetRows registry, ExecutorService trainer, BooleanSupplier trainerBusy) {
        this.base = base;
        this.registry = registry;
        this.trainer = trainer;
        this.trainerBusy = trainerBusy;
    }

    /** Records the speed a job's step ran at. */
    synchronized void measured(JobSpec spec, double tokensPerSecond) {
        speeds.put(key(spec), tokensPerSecond);
    }

    private synchronized Double known(JobSpec spec) {
        return speeds.get(key(spec));
    }

    FineTuneEstimate estimate(FineTuneRequest request) throws InvalidFineTuneException {
        JobSpec spec = JobSpec.of(request, base, 0, registry);
        List<String> warnings = new ArrayList<>();
        if (spec.data().splitDocuments() > 0) {
            warnings.add(spec.data().splitDocuments() + " documents are longer than the context of " + spec.context()
                    + " tokens and are spread over several windows");
        }
        if (spec.data().validation().length < spec.context() + 1) {
            warnings.add("There is too little held-out data for a validation loss; raise validation_split or add"
                    + " data");
        }
        Double speed = known(spec);
        String source = speed != null ? "measured" : null;
        if (speed == null) {
            speed = probe(spec);
            source = speed != null ? "probe" : null;
            if (speed == null) {
                warnings.add("The node is training another job; no speed measured for this shape yet");
            }
        }
        long tokens = spec.steps() * spec.tokensPerStep();
        LoraShape lora = LoraShape.of(base.config(), spec.rank(), spec.targets());
        return new FineTuneEstimate(spec.data().documents(), spec.data().trainingDocuments(),
                spec.data().validationDocuments(), spec.data().splitDocuments(), spec.data().train().length,
                spec.data().validation().length, spec.context(), spec.steps(), lora.parameters(), speed, source,
                speed == null ? null : tokens / speed,
                lora.trainingBytes(base.config(), spec.batchSize(), spec.context()), base.device().id(),
                List.copyOf(warnings));
    }

    /** Tokens/s of two timed LoRA steps after a warm-up step, or null when a job holds the trainer. */
    private Double probe(JobSpec spec) {
        if (trainerBusy.getAsBoolean()) {
            return null;
        }
        Future<Double> f = trainer.submit(() -> {
            TrainingConfig tc = TrainingConfig.defaults(3, spec.batchSize(), spec.context(), spec.learningRate(),
                    spec.seed()).withEvaluation(0, 1).withCheckpointEvery(0);
            AdapterConfig ac = new AdapterConfig(spec.rank(), spec.alpha(), spec.targets(), false, base.id(),
                    spec.dropout());
            long[] started = {0};
            try (NDManager m = NDManager.newBaseManager(base.device().djl());
                 LoraTrainable lora = new LoraTrainable(base.config(), ac, spec.seed(), m.newSubManager())) {
                new Trainer(base.transformer(), lora, tc, spec.data().windows()).run(null, new TrainingListener() {
                    @Override
                    public void onStep(StepReport r) {
                        if (r.step() == 1) {
                            started[0] = System.nanoTime();
                        }
                    }
                }, () -> false);
            }
            double seconds = (System.nanoTime() - started[0]) / 1e9;
            return 2.0 * tc.tokensPerStep() / Math.max(seconds, 1e-9);
        });
        try {
            Double speed = f.get(60, TimeUnit.SECONDS);
            measured(spec, speed);
            return speed;
        } catch (Exception e) {
            f.cancel(true);
            log.warn("fine-tuning speed probe failed", e);
            return null;
        }
    }

    private static String key(JobSpec spec) {
        return spec.rank() + "/" + spec.targets() + "/" + spec.batchSize() + "x" + spec.context();
    }
}
