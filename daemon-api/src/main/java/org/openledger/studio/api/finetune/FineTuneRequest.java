package org.openledger.studio.api.finetune;

import java.util.List;

/**
 * {@code POST /v1/fine_tuning/jobs} (and {@code /v1/fine_tuning/estimate}), shaped like OpenAI's: the base model's
 * id; the training data, either inline as {@code training_text} (a {@code .jsonl} of {"prompt","response"} or
 * {"text"} lines, or plain text) or as {@code datanets}, ids of Datanets in the node's registry whose rows are
 * trained on; OpenAI's {@code hyperparameters}; the LoRA settings; a {@code suffix} for the adapter's id and a
 * {@code seed}.
 */
public record FineTuneRequest(String model, String trainingText, List<String> datanets,
                              Hyperparameters hyperparameters, Lora lora, String suffix, Long seed) {

    /** Inline training text, no Datanets. */
    public FineTuneRequest(String model, String trainingText, Hyperparameters hyperparameters, Lora lora,
                           String suffix, Long seed) {
        this(model, trainingText, null, hyperparameters, lora, suffix, seed);
    }

    /**
     * Absent fields take the node's defaults. {@code validation_split}: the fraction of documents held out for
     * evaluation (default 0.1, 0 for none); {@code eval_every} and {@code checkpoint_every} are in steps;
     * {@code gradient_accumulation_steps}: micro-batches of {@code batch_size} sequences summed into each optimiser
     * step (default 1), for a larger effective batch in the memory of a small one.
     */
    public record Hyperparameters(Integer nEpochs, Integer batchSize, Double learningRateMultiplier,
                                  Double validationSplit, Integer evalEvery, Integer checkpointEvery,
                                  Integer gradientAccumulationSteps) {

        public Hyperparameters(Integer nEpochs, Integer batchSize, Double learningRateMultiplier) {
            this(nEpochs, batchSize, learningRateMultiplier, null, null, null, null);
        }

        public Hyperparameters(Integer nEpochs, Integer batchSize, Double learningRateMultiplier,
                               Double validationSplit, Integer evalEvery, Integer checkpointEvery) {
            this(nEpochs, batchSize, learningRateMultiplier, validationSplit, evalEvery, checkpointEvery, null);
        }
    }

    /** PEFT LoRA settings; {@code target_modules} are PEFT module names such as {@code q_proj}. */
    public record Lora(Integer r, Double alpha, Double dropout, List<String> targetModules) {
    }
}
