package org.openledger.studio.gpu.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two threads that train at once (a fine-tuning step and an influence index build) take turns, never fail. */
class GradientsTest {

    @Test
    void collectionsOnTwoThreadsTakeTurns() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Float>> runs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                float scale = t + 2;
                runs.add(pool.submit(() -> {
                    float last = 0;
                    for (int i = 0; i < 200; i++) {
                        try (NDManager m = NDManager.newBaseManager()) {
                            NDArray x = EngineArrays.owned(m, new float[] {1f, 2f, 3f}, new Shape(3));
                            x.setRequiresGradient(true);
                            try (Gradients g = Gradients.collect()) {
                                g.backward(x.mul(EngineArrays.owned(m, new float[] {scale}, new Shape())).sum());
                            }
                            last = x.getGradient().getFloat(1);
                        }
                    }
                    return last;
                }));
            }
            assertEquals(2f, runs.get(0).get(), 1e-6);
            assertEquals(3f, runs.get(1).get(), 1e-6);
        } finally {
            pool.shutdownNow();
        }
    }
}
