package org.openledger.studio.gpu.safetensors;

import java.io.IOException;

/** A safetensors file or checkpoint folder that cannot be read as it is; the reason says which rule it broke. */
public final class SafetensorsException extends IOException {

    public enum Reason {
        TRUNCATED, HEADER_TOO_LARGE, BAD_HEADER, UNKNOWN_DTYPE, SHAPE_MISMATCH, OFFSETS_OUT_OF_RANGE, OVERLAPPING,
        MISSING_TENSOR, MISSING_FILE
    }

    private final Reason reason;

    public SafetensorsException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
