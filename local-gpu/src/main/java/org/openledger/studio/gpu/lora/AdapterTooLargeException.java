package org.openledger.studio.gpu.lora;

import org.openledger.studio.gpu.model.InvalidModelException;

/** An adapter larger than the device bytes the node gives adapters: it could never be uploaded. */
public final class AdapterTooLargeException extends InvalidModelException {

    public AdapterTooLargeException(String message) {
        super(message);
    }
}
