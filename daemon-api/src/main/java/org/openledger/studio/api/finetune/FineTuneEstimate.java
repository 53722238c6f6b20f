package org.openledger.studio.api.finetune;

import java.util.List;

/**
 * {@code POST /v1/fine_tuning/estimate}: what a job with this request would do and cost on the node, before it is
 * queued. {@code seconds} comes from the node's measured training speed for this base model and LoRA shape
 * ({@code speed_source} says whether measured by a finished job or by a short probe); memory is the base weights
 * plus the trainable factors with their gradients and AdamW moments plus the activations of one batch.
 */
public record FineTuneEstimate(int documents, int trainingRows, int validationRows, int splitRows,
                               long trainingTokens, long validationTokens, int context, int steps,
                               long trainableParameters, Double tokensPerSecond, String speedSource, Double seconds,
                               long memoryBytes, String device, List<String> warnings) {
}
