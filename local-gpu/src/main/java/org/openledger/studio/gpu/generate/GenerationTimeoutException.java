package org.openledger.studio.gpu.generate;

/** A request waited and ran longer than the scheduler's time-out; its row was freed. */
public final class GenerationTimeoutException extends RuntimeException {

    public GenerationTimeoutException(String message) {
        super(message);
    }
}
