package org.openledger.studio.gpu.safetensors;

import java.util.Arrays;

/**
 * A tensor held on the Java heap as float32, row-major. Every floating dtype is widened to this on reading,
 * because DJL's native side aborts the JVM on BF16.
 */
public record Tensor(long[] shape, float[] values) {

    public Tensor {
        long n = elementCount(shape);
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " values, got " + values.length);
        }
    }

    public static Tensor of(float[] values, long... shape) {
        return new Tensor(shape.clone(), values);
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
