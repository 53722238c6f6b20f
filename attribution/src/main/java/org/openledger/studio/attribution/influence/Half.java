package org.openledger.studio.attribution.influence;

import org.openledger.studio.gpu.safetensors.HalfFloats;

/**
 * IEEE 754 half precision (binary16), as the index stores gradients: the runtime's {@link HalfFloats} conversions
 * (round to nearest, ties to even), decoding through a 65,536-entry table because scoring decodes every stored value.
 */
final class Half {

    private static final float[] TABLE = new float[1 << 16];

    static {
        for (int h = 0; h < TABLE.length; h++) {
            TABLE[h] = decode((short) h);
        }
    }

    private Half() {
    }

    static float toFloat(short h) {
        return TABLE[h & 0xffff];
    }

    private static float decode(short h) {
        return HalfFloats.f16ToFloat(h);
    }

    static short fromFloat(float f) {
        return HalfFloats.floatToF16(f);
    }
}
