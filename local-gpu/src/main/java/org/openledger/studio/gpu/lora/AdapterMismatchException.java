package org.openledger.studio.gpu.lora;

import org.openledger.studio.gpu.model.InvalidModelException;

/** An adapter trained for another base model: its name or its tensor shapes do not match. */
public final class AdapterMismatchException extends InvalidModelException {

    public AdapterMismatchException(String message) {
        super(message);
    }
}
