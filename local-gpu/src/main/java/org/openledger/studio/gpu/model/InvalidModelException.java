package org.openledger.studio.gpu.model;

import java.io.IOException;

/**
 * A model or adapter folder that this runtime cannot use as it is: a bad config.json, a missing tokenizer, a
 * weight of the wrong shape, an adapter for another base model. The message names the file and the fix.
 */
public class InvalidModelException extends IOException {

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
