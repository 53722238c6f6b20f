package org.openledger.studio.gpu.lora;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.model.TinyModels;

/** The bench's grid, samples, fit and table on a tiny model (what it measures is not checked: no timing here). */
class LoraPathBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void measuresEveryApplicablePathAtEveryGridPointAndFitsAModel() throws Exception {
        TinyModels.chatModel(dir, 3);
        try (BaseModel model = BaseModel.load(dir, DeviceScan.ofThisMachine().pick("cpu"), 4, 64)) {
            LoraPathBenchmark bench = new LoraPathBenchmark(0.5, true);
            List<LoraPathBenchmark.Cell> cells = bench.measure(model, new int[] {1, 4}, new int[] {1, 2, 4},
                    new int[] {2, 8}, new int[] {1, 3});
            // rows 1: 1 adapter; rows 4: 1, 2, 4 adapters; x 2 ranks x 2 position counts
            assertEquals(4 * 2 * 2, cells.size());
            for (LoraPathBenchmark.Cell c : cells) {
                assertEquals(c.distinct() == 1, c.allowed().contains(LoraCostModel.Path.SHARED), c.toString());
                assertTrue(c.allowed().containsAll(List.of(LoraCostModel.Path.GATHERED, LoraCostModel.Path.SEGMENTED)));
                c.micros().forEach((p, v) -> assertTrue(v.isNaN() || v > 0, p + " " + v));
                assertEquals(1, c.work().sites(), 1e-12, "one q_proj site");
                assertEquals(c.distinct(), c.work().groups(), 1e-12);
                assertNotNull(c.fastest());
            }
            // per rank and position count: 3 + 3 paths where one adapter (rows 1 and 4), 2 + 2 where 2 or 4
            assertEquals(2 * 2 * (3 + 3 + 2 + 2), LoraPathBenchmark.samples(cells).size());
            LoraPathBenchmark.Pass pass = bench.pass(model);
            assertTrue(pass.micros() > 0 && pass.layerWeights() > 0);
            LoraCostModel fitted = LoraCostModel.fit(LoraPathBenchmark.samples(cells),
                    LoraPathBenchmark.fitPass(List.of(pass, pass)));
            String table = LoraPathBenchmark.table(cells, fitted);
            assertEquals(cells.size() + 2, table.lines().count());
            assertTrue(LoraPathBenchmark.summary(cells, fitted).contains("of " + cells.size() + " cells"));
        }
    }
}
