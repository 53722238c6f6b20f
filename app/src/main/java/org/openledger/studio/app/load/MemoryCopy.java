package org.openledger.studio.app.load;

/**
 * The memory-bandwidth baseline the decode benchmarks hold their weight bytes/s against: one thread copying a
 * buffer larger than the caches, bytes copied per second (each byte read once and written once), best of five.
 */
public final class MemoryCopy {

    private MemoryCopy() {
    }

    /** @param mib the buffer's size in MiB (two buffers of this size are allocated on the heap) */
    public static double bytesPerSecond(int mib) {
        if (mib < 1 || mib > 4096) {
            throw new IllegalArgumentException("the copy buffer must be 1 to 4096 MiB, not " + mib);
        }
        float[] src = new float[mib << 18];
        float[] dst = new float[src.length];
        java.util.Arrays.fill(src, 1f);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            System.arraycopy(src, 0, dst, 0, src.length);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return src.length * 4.0 / (best / 1e9);
    }
}
