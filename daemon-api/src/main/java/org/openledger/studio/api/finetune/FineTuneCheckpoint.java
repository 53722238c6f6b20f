package org.openledger.studio.api.finetune;

/**
 * A checkpoint a job saved (OpenAI's {@code fine_tuning.job.checkpoint}): the step, the losses then, and whether
 * its files are still on the node to resume from (a job keeps only its newest checkpoint's files).
 */
public record FineTuneCheckpoint(String id, String object, long createdAt, String fineTuningJobId, int stepNumber,
                                 Metrics metrics, boolean resumable) {

    public record Metrics(Double trainLoss, Double validLoss) {
    }
}
