package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.gpu.safetensors.DType;

class DecodeBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void timesEveryDecodeStepAndHoldsItAgainstTheCopy() throws Exception {
        TinyModels.write(dir, TinyModels.gqa(), TinyModels.randomWeights(TinyModels.gqa(), 1), DType.F32);
        try (BaseModel m = BaseModel.load(dir, DeviceScan.ofThisMachine().pick("cpu"), 1, 64)) {
            DecodeBenchmark.Result r = new DecodeBenchmark(m, 1 << 20).run(8, 6, 1);
            assertEquals(6, r.steps(), "one time per decode step, the prefill's token excluded");
            assertEquals(m.config().parameterCount() * 4, r.weightBytes());
            assertTrue(r.medianStepMillis() > 0 && r.engineCopyBytesPerSecond() > 0);
            assertEquals(1000 / r.medianStepMillis(), r.tokensPerSecond(), 1e-9);
            assertEquals(r.weightBytesPerSecond() / r.engineCopyBytesPerSecond(), r.shareOfCopy(), 1e-12);
            assertEquals(r.medianStepMillis() - r.weightBytes() / r.engineCopyBytesPerSecond() * 1000,
                    r.overheadMillis(), 1e-9);
            assertTrue(r.medianStepCpuMillis() > 0 && r.engineCopyCpuBytesPerSecond() > 0);
            assertEquals(r.medianStepCpuMillis() - r.weightBytes() / r.engineCopyCpuBytesPerSecond() * 1000,
                    r.cpuOverheadMillis(), 1e-9);
            DecodeBenchmark b = new DecodeBenchmark(m, 1 << 20);
            assertThrows(IllegalArgumentException.class, () -> b.run(60, 10, 1), "beyond the context");
            assertThrows(IllegalArgumentException.class, () -> b.run(4, 1, 1), "one step has no interval");
        }
    }
}
