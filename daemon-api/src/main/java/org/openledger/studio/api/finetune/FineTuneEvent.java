package org.openledger.studio.api.finetune;

/**
 * One event of a job (OpenAI's {@code fine_tuning.job.event}); {@code type} "metrics" carries {@code data} with the
 * step, its loss and training tokens per second, "message" only a message.
 */
public record FineTuneEvent(String id, String object, long createdAt, String level, String message, String type,
                            Metrics data) {

    public record Metrics(int step, int totalSteps, double trainLoss, double tokensPerSecond) {
    }
}
