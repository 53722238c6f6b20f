package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.gpu.safetensors.DType;

class ThroughputBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void measuresPrefillAndDecode() throws Exception {
        TinyModels.write(dir, TinyModels.gqa(), TinyModels.randomWeights(TinyModels.gqa(), 1), DType.F32);
        try (BaseModel m = BaseModel.load(dir, DeviceScan.ofThisMachine().pick("cpu"))) {
            Throughput t = new ThroughputBenchmark(m).run(4, 16, 8, 1);
            assertEquals(4, t.batch());
            assertTrue(t.prefillTokensPerSecond() > 0 && t.decodeTokensPerSecond() > 0);
            double steps = t.decodeTokensPerSecond() / 4;
            assertEquals(steps * m.config().parameterCount() * 4, t.weightBytesPerSecond(), 1e-6 * t.weightBytesPerSecond());
            assertThrows(IllegalArgumentException.class, () -> new ThroughputBenchmark(m).run(1, 120, 20, 1));
        }
    }
}
