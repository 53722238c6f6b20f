package org.openledger.studio.daemon.finetune;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.BooleanSupplier;
import org.openledger.studio.finetune.LoraTrainable;
import org.openledger.studio.finetune.Trainer;
import org.openledger.studio.finetune.TrainingConfig;
import org.openledger.studio.finetune.TrainingListener;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.store.Folders;

/**
 * One job's training run: LoRA on the served base model, checkpointing into the job's folder (and going on from the
 * checkpoint there), then the adapter written in PEFT format beside the adapter folder and renamed into place, so
 * the adapter store never sees half an adapter.
 */
final class JobTraining {

    /** Validation batches per evaluation. */
    static final int EVAL_BATCHES = 4;

    private JobTraining() {
    }

    static Trainer.Result train(BaseModel base, Path adapterFolder, JobSpec spec, String model, Path checkpoints,
                                TrainingListener listener, BooleanSupplier cancelled) throws IOException {
        TrainingConfig tc = TrainingConfig.defaults(spec.steps(), spec.batchSize(), spec.context(),
                spec.learningRate(), spec.seed()).withAccumulation(spec.accumulation())
                .withEvaluation(spec.evalEvery(), EVAL_BATCHES)
                .withCheckpointEvery(spec.checkpointEvery());
        AdapterConfig ac = new AdapterConfig(spec.rank(), spec.alpha(), spec.targets(), false, base.id(),
                spec.dropout());
        Files.createDirectories(checkpoints);
        try (NDManager m = NDManager.newBaseManager(base.device().djl());
             LoraTrainable lora = new LoraTrainable(base.config(), ac, spec.seed(), m.newSubManager())) {
            Trainer.Result r = new Trainer(base.transformer(), lora, tc, spec.data().windows())
                    .run(checkpoints, listener, cancelled);
            Files.createDirectories(adapterFolder);
            // written beside the folder under a name the adapter store ignores, then renamed into place
            Path tmp = adapterFolder.resolve("." + model + ".partial");
            Folders.deleteTree(tmp);
            lora.toAdapter(model).save(tmp);
            // an earlier run of this job put it in place and was killed before the job was recorded as done
            Folders.deleteTree(adapterFolder.resolve(model));
            Files.move(tmp, adapterFolder.resolve(model), StandardCopyOption.ATOMIC_MOVE);
            return r;
        }
    }
}
