package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.lora.LoraCostModel;

/** {@code studio bench lora-paths} writes a cost model the node reads; bad input is one stderr line and exit 1. */
class LoraPathsCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void aSmallGridWritesTheTableAndACostModelThatReadsBack() throws Exception {
        Path table = dir.resolve("table.md");
        Path model = dir.resolve("model.properties");
        StudioProcess.Result r = StudioProcess.run(dir, "bench", "lora-paths", "--device", "cpu", "--widths", "64",
                "--rows", "1,2", "--adapters", "1,2", "--ranks", "2", "--positions", "1", "--millis", "1",
                "--out", table.toString(), "--write-model", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("model picks the fastest path in"), r.out());
        // rows 1 x 1 adapter, rows 2 x 1 and 2 adapters: three cells, plus the header lines
        assertEquals(3, Files.readAllLines(table).stream().filter(l -> l.startsWith("| 64 |")).count());
        assertNotNull(LoraCostModel.read(model));
    }

    @Test
    void badOptionsAndABadModelFileAreRefusedWithTheReason() throws Exception {
        StudioProcess.Result clock = StudioProcess.run(dir, "bench", "lora-paths", "--clock", "sundial");
        assertEquals(1, clock.code());
        assertTrue(clock.err().contains("--clock is wall or cpu"), clock.err());
        StudioProcess.Result width = StudioProcess.run(dir, "bench", "lora-paths", "--widths", "100");
        assertEquals(1, width.code());
        assertTrue(width.err().contains("not a multiple of 64"), width.err());
        StudioProcess.Result zero = StudioProcess.run(dir, "bench", "lora-paths", "--ranks", "0");
        assertEquals(1, zero.code());
        assertTrue(zero.err().contains("at least 1"), zero.err());

        Path bad = Files.writeString(dir.resolve("bad.properties"), "shared=1,2\n");
        StudioProcess.Result daemon = StudioProcess.run(dir, "daemon", "--port", "0", "--data-dir",
                dir.resolve("n").toString(), "--no-model", "--lora-cost-model", bad.toString());
        assertEquals(1, daemon.code(), daemon.err());
        assertTrue(daemon.err().contains("--lora-cost-model") && daemon.err().contains("gathered"), daemon.err());
        StudioProcess.Result missing = StudioProcess.run(dir, "daemon", "--port", "0", "--data-dir",
                dir.resolve("n").toString(), "--no-model", "--lora-cost-model", dir.resolve("nope").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("--lora-cost-model"), missing.err());
    }
}
