package org.openledger.studio.gpu.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The process's one gradient collection at a time. The PyTorch engine allows a single collecting
 * {@link GradientCollector} per process (a second one fails with "already collecting"), so a fine-tuning step
 * and an influence index build running on two threads of one node take turns here instead of failing each other.
 * The lock is fair: neither starves the other, and each holds it for one step or one batch only.
 */
public final class Gradients implements AutoCloseable {

    private static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock(true);

    private final GradientCollector collector;

    private Gradients(GradientCollector collector) {
        this.collector = collector;
    }

    /** Waits for any other collection to end, then starts one; close it on the thread that opened it. */
    public static Gradients collect() {
        ONE_AT_A_TIME.lock();
        try {
            return new Gradients(Engine.getInstance().newGradientCollector());
        } catch (RuntimeException | Error e) {
            ONE_AT_A_TIME.unlock();
            throw e;
        }
    }

    public void backward(NDArray target) {
        collector.backward(target);
    }

    @Override
    public void close() {
        try {
            collector.close();
        } finally {
            ONE_AT_A_TIME.unlock();
        }
    }
}
