package org.openledger.studio.api.finetune;

import java.util.List;

/**
 * A fine-tuning job as {@code /v1/fine_tuning/jobs} reports it (OpenAI's {@code fine_tuning.job}). {@code status}:
 * queued, running, succeeded, failed, cancelled. {@code fine_tuned_model} is the adapter's id once it succeeded.
 * {@code datanets} are the Datanets it trains on (absent for inline text); {@code result} the run's numbers once
 * it trained (steps done, last training loss, validation loss and perplexity, rows trained on and held out).
 * {@code estimated_finish} is a Unix time while it runs; {@code resumable} says whether a cancelled or failed
 * job has a checkpoint to resume from.
 */
public record FineTuneJob(String id, String object, long createdAt, Long finishedAt, String model,
                          String fineTunedModel, String status, FineTuneRequest.Hyperparameters hyperparameters,
                          FineTuneRequest.Lora lora, long seed, String userProvidedSuffix, Long trainedTokens,
                          Error error, List<String> datanets, Result result, Long estimatedFinish,
                          Boolean resumable) {

    public FineTuneJob(String id, String object, long createdAt, Long finishedAt, String model,
                       String fineTunedModel, String status, FineTuneRequest.Hyperparameters hyperparameters,
                       FineTuneRequest.Lora lora, long seed, String userProvidedSuffix, Long trainedTokens,
                       Error error) {
        this(id, object, createdAt, finishedAt, model, fineTunedModel, status, hyperparameters, lora, seed,
                userProvidedSuffix, trainedTokens, error, null, null, null, null);
    }

    /** Why a job failed. */
    public record Error(String code, String message, String param) {
    }

    /** What a run measured. */
    public record Result(int steps, int totalSteps, Double trainLoss, Double validLoss, Double validPerplexity,
                         Integer trainingRows, Integer validationRows, Integer splitRows) {
    }

    /** This job as a stopped job says whether it can be resumed. */
    public FineTuneJob withResumable(Boolean resumable) {
        return new FineTuneJob(id, object, createdAt, finishedAt, model, fineTunedModel, status, hyperparameters, lora,
                seed, userProvidedSuffix, trainedTokens, error, datanets, result, estimatedFinish, resumable);
    }

    /** This running job after a step: tokens trained so far, the result so far, when it should end. */
    public FineTuneJob withProgress(long tokens, Result soFar, long finish) {
        return new FineTuneJob(id, object, createdAt, finishedAt, model, fineTunedModel, status, hyperparameters, lora,
                seed, userProvidedSuffix, tokens, error, datanets, soFar, finish, resumable);
    }

    public boolean finished() {
        return "succeeded".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }
}
