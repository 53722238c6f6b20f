package org.openledger.studio.api.finetune;

/**
 * One event of a job (OpenAI's {@code fine_tuning.job.event}). {@code type} "metrics" carries {@code data} for a
 * training step (step, loss, learning rate, tokens per second, the estimated seconds left); "evaluation" carries
 * {@code data} with the validation loss and perplexity at a step as well; "checkpoint" names the step saved;
 * "message" has only a message.
 */
public record FineTuneEvent(String id, String object, long createdAt, String level, String message, String type,
                            Metrics data) {

    public record Metrics(int step, int totalSteps, Double trainLoss, Double tokensPerSecond, Double learningRate,
                          Double etaSeconds, Double validLoss, Double validPerplexity) {

        public Metrics(int step, int totalSteps, double trainLoss, double tokensPerSecond) {
            this(step, totalSteps, trainLoss, tokensPerSecond, null, null, null, null);
        }
    }
}
