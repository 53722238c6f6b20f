package org.openledger.studio.api.finetune;

/**
 * A fine-tuning job as {@code /v1/fine_tuning/jobs} reports it (OpenAI's {@code fine_tuning.job}). {@code status}:
 * queued, running, succeeded, failed, cancelled. {@code fine_tuned_model} is the adapter's id once it succeeded.
 */
public record FineTuneJob(String id, String object, long createdAt, Long finishedAt, String model,
                          String fineTunedModel, String status, FineTuneRequest.Hyperparameters hyperparameters,
                          FineTuneRequest.Lora lora, long seed, String userProvidedSuffix, Long trainedTokens,
                          Error error) {

    /** Why a job failed. */
    public record Error(String code, String message, String param) {
    }

    public boolean finished() {
        return "succeeded".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }
}
