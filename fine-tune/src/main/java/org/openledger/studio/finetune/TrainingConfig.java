package org.openledger.studio.finetune;

/**
 * Hyper-parameters of one training run. A step is one optimiser update over {@code batchSize} sequences of
 * {@code contextLength} tokens times {@code accumulation} micro-batches; warm-up is linear, then the learning rate
 * follows a cosine down to {@code minLearningRate} at the last step.
 */
public record TrainingConfig(
        int steps,
        int batchSize,
        int accumulation,
        int contextLength,
        double learningRate,
        double minLearningRate,
        int warmupSteps,
        double weightDecay,
        double beta1,
        double beta2,
        double epsilon,
        double clipNorm,
        int evalEvery,
        int evalBatches,
        int checkpointEvery,
        long seed) {

    public TrainingConfig {
        require(steps > 0, "steps must be positive, got " + steps);
        require(batchSize > 0, "batch size must be positive, got " + batchSize);
        require(accumulation > 0, "gradient accumulation must be positive, got " + accumulation);
        require(contextLength > 1, "context length must be at least 2, got " + contextLength);
        require(learningRate > 0 && learningRate < 1, "learning rate must be in (0, 1), got " + learningRate);
        require(minLearningRate >= 0 && minLearningRate <= learningRate,
                "minimum learning rate must be in [0, learning rate], got " + minLearningRate);
        require(warmupSteps >= 0 && warmupSteps < steps, "warm-up steps must be in [0, steps), got " + warmupSteps);
        require(weightDecay >= 0 && weightDecay < 1, "weight decay must be in [0, 1), got " + weightDecay);
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam betas must be in [0, 1)");
        require(epsilon > 0, "Adam epsilon must be positive");
        require(clipNorm > 0, "gradient clip norm must be positive, got " + clipNorm);
        require(evalEvery >= 0 && evalBatches > 0, "evaluation every N >= 0 steps over at least one batch");
        require(checkpointEvery >= 0, "checkpoint interval must be >= 0, got " + checkpointEvery);
    }

    /** Defaults that suit small models: AdamW(0.9, 0.95), decay 0.1, clip 1, 5% warm-up, cosine to lr/10. */
    public static TrainingConfig defaults(int steps, int batchSize, int contextLength, double learningRate, long seed) {
        return new TrainingConfig(steps, batchSize, 1, contextLength, learningRate, learningRate / 10,
                Math.max(1, steps / 20) < steps ? Math.max(1, steps / 20) : 0, 0.1, 0.9, 0.95, 1e-8, 1.0,
                Math.max(1, steps / 10), 4, Math.max(1, steps / 10), seed);
    }

    public TrainingConfig withAccumulation(int n) {
        return new TrainingConfig(steps, batchSize, n, contextLength, learningRate, minLearningRate, warmupSteps,
                weightDecay, beta1, beta2, epsilon, clipNorm, evalEvery, evalBatches, checkpointEvery, seed);
    }

    public TrainingConfig withEvaluation(int every, int batches) {
        return new TrainingConfig(steps, batchSize, accumulation, contextLength, learningRate, minLearningRate,
                warmupSteps, weightDecay, beta1, beta2, epsilon, clipNorm, every, batches, checkpointEvery, seed);
    }

    public TrainingConfig withCheckpointEvery(int every) {
        return new TrainingConfig(steps, batchSize, accumulation, contextLength, learningRate, minLearningRate,
                warmupSteps, weightDecay, beta1, beta2, epsilon, clipNorm, evalEvery, evalBatches, every, seed);
    }

    public TrainingConfig withWarmup(int warmup) {
        return new TrainingConfig(steps, batchSize, accumulation, contextLength, learningRate, minLearningRate,
                warmup, weightDecay, beta1, beta2, epsilon, clipNorm, evalEvery, evalBatches, checkpointEvery, seed);
    }

    /** Tokens that one optimiser step learns from. */
    public long tokensPerStep() {
        return (long) batchSize * accumulation * contextLength;
    }

    /** The learning rate of step {@code step} (0-based): linear warm-up, then cosine decay to the minimum. */
    public double learningRateAt(int step) {
        if (step < warmupSteps) {
            return learningRate * (step + 1) / warmupSteps;
        }
        int decaySteps = Math.max(1, steps - warmupSteps - 1);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        return minLearningRate + 0.5 * (learningRate - minLearningRate) * (1 + Math.cos(Math.PI * progress));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
