package org.openledger.studio.finetune;

/** The loss or gradients stayed NaN or infinite for several steps: nothing more would be learned. */
public final class TrainingDivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
