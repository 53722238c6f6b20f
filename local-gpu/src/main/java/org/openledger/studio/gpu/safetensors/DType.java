package org.openledger.studio.gpu.safetensors;

/** The element types this runtime reads from safetensors files; the name is the one written in the header. */
public enum DType {
    F32(4), F16(2), BF16(2), I64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloat() {
        return this != I64;
    }

    /** Parses a header dtype, refusing the ones we cannot read (I8, U8, F64, F8_E4M3 ...). */
    static DType parse(String name, String tensor) throws SafetensorsException {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new SafetensorsException(SafetensorsException.Reason.UNKNOWN_DTYPE,
                "tensor '" + tensor + "' has dtype '" + name + "'; supported are F32, F16, BF16 and I64");
    }
}
