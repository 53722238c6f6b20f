package org.openledger.studio.gpu.device;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.openledger.studio.gpu.model.ModelConfig;

class MemoryPlanTest {

    static final ModelConfig LLAMA_7B = ModelConfig.llama(4096, 11008, 32, 32, 32, 32000, 4096);

    @Test
    void countsSevenBillionParametersForLlama7b() {
        assertEquals(6_738_415_616L, LLAMA_7B.parameterCount());
        MemoryPlan plan = MemoryPlan.of(LLAMA_7B, 1, 4096);
        assertEquals(6_738_415_616L * 4, plan.weightBytes());
        // 2 (k and v) x 32 layers x 4096 tokens x 4096 dims x 4 bytes = 4 GiB
        assertEquals(4L << 30, plan.kvCacheBytes());
    }

    @Test
    void refusesWhatDoesNotFitAndSaysWhy() {
        ComputeDevice gpu = new ComputeDevice("gpu:0", ComputeDevice.Kind.GPU, "16 GB card", 16L << 30, 15L << 30,
                true, "");
        InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class,
                () -> MemoryPlan.of(LLAMA_7B, 1, 4096).check(gpu));
        assertTrue(e.getMessage().contains("weights alone do not fit"), e.getMessage());
        assertTrue(e.getMessage().contains("gpu:0"), e.getMessage());

        ModelConfig small = ModelConfig.llama(512, 1376, 4, 8, 8, 8000, 2048);
        MemoryPlan big = MemoryPlan.of(small, 64, 2048);
        ComputeDevice card = new ComputeDevice("gpu:0", ComputeDevice.Kind.GPU, "card", 4L << 30, 3L << 30, true, "");
        e = assertThrows(InsufficientMemoryException.class, () -> big.check(card));
        assertTrue(e.getMessage().contains("smaller batch"), e.getMessage());
        assertDoesNotThrowCheck(MemoryPlan.of(small, 1, 2048), card);
    }

    private static void assertDoesNotThrowCheck(MemoryPlan plan, ComputeDevice d) {
        try {
            plan.check(d);
        } catch (InsufficientMemoryException e) {
            fail(e.getMessage());
        }
        assertTrue(plan.totalBytes() < d.freeBytes());
    }
}
