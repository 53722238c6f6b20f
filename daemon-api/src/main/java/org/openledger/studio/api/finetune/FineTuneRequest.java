package org.openledger.studio.api.finetune;

import java.util.List;

/**
 * {@code POST /v1/fine_tuning/jobs}, shaped like OpenAI's: the base model's id, the training data inline as
 * {@code training_text} (a {@code .jsonl} of {"prompt","response"} or {"text"} lines, or plain text), OpenAI's
 * {@code hyperparameters}, the LoRA settings, a {@code suffix} for the adapter's id and a {@code seed}.
 */
public record FineTuneRequest(String model, String trainingText, Hyperparameters hyperparameters, Lora lora,
                              String suffix, Long seed) {

    /** Absent fields take the node's defaults. */
    public record Hyperparameters(Integer nEpochs, Integer batchSize, Double learningRateMultiplier) {
    }

    /** PEFT LoRA settings; {@code target_modules} are PEFT module names such as {@code q_proj}. */
    public record Lora(Integer r, Double alpha, Double dropout, List<String> targetModules) {
    }
}
