package org.openledger.studio.finetune;

/** Progress of a training run, called on the training thread; the UI turns these into its own updates. */
public interface TrainingListener {

    TrainingListener NONE = new TrainingListener() {
    };

    /** After each optimiser step. */
    default void onStep(StepReport report) {
    }

    /** After each evaluation on the validation windows. */
    default void onEvaluation(Evaluation evaluation) {
    }

    /** After a checkpoint is safely in place. */
    default void onCheckpoint(int step, java.nio.file.Path dir) {
    }

    /**
     * @param step 1-based count of steps done
     * @param tokensPerSecond training tokens per second since the run (or resume) started
     */
    record StepReport(int step, int steps, double loss, double learningRate, double gradientNorm,
                      long tokensSeen, double tokensPerSecond) {
    }

    record Evaluation(int step, double loss, int windows) {
        public double perplexity() {
            return Math.exp(loss);
        }
    }
}
