package org.openledger.studio.app.cli;

/** A failure caused by the user's input or environment; printed as one line without a stack trace. */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}
