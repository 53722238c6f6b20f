package org.openledger.studio.daemon.finetune;

/** A job request the node refuses, naming the field at fault (e.g. {@code hyperparameters.n_epochs}). */
public final class InvalidFineTuneException extends Exception {

    private final String param;

    InvalidFineTuneException(String param, String message) {
        super(message);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
