package org.openledger.studio.gpu.lora;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.lora.LoraCostModel.Path;
import org.openledger.studio.gpu.lora.LoraCostModel.Work;

/** The per-step path chooser with given costs, the fit, and the model file. */
class LoraCostModelTest {

    @TempDir
    java.nio.file.Path dir;

    /** shared: 10/site + 1/work; gathered: 5/site + 2/padded + 3/stack read; segmented: 1/site + 20/group + 1/work. */
    private static LoraCostModel model() {
        return new LoraCostModel(Map.of(Path.SHARED, new double[] {10, 1},
                Path.GATHERED, new double[] {5, 2, 3},
                Path.SEGMENTED, new double[] {1, 20, 1, 0}), new double[] {100, 10});
    }

    private static Work work(double groups, double work, double padded, double stackReads) {
        return new Work(1, work, padded, stackReads, groups, work, 0);
    }

    @Test
    void choosesTheCheapestAllowedPathByTheGivenCosts() {
        LoraCostModel m = model();
        // many adapters, little work: segmented pays 20 per group, gathered 5 + 2 + 3 = 10
        Work many = work(16, 1, 1, 1);
        assertEquals(10, m.cost(Path.GATHERED, many), 1e-12);
        assertEquals(1 + 320 + 1, m.cost(Path.SEGMENTED, many), 1e-12);
        assertEquals(Path.GATHERED, m.choose(many, EnumSet.of(Path.GATHERED, Path.SEGMENTED)));
        // two adapters, much padding (one big rank next to small ones): segmented 1 + 40 + 10 = 51, gathered 5+200+90
        Work padded = work(2, 10, 100, 30);
        assertEquals(Path.SEGMENTED, m.choose(padded, EnumSet.of(Path.GATHERED, Path.SEGMENTED)));
        // one adapter for every row: shared 10 + 10 = 20 beats segmented 1 + 20 + 10 = 31 and gathered 5+20+30
        Work one = work(1, 10, 10, 10);
        assertEquals(Path.SHARED, m.choose(one, EnumSet.allOf(Path.class)));
        // a path that is not allowed is never chosen, however cheap
        assertEquals(Path.SEGMENTED, m.choose(many, EnumSet.of(Path.SEGMENTED)));
        assertThrows(IllegalArgumentException.class, () -> m.choose(one, EnumSet.noneOf(Path.class)));
        // the pass cost: layers x (fixed + per million weights)
        assertEquals(3 * (100 + 10 * 2.5), m.passCost(3, 2_500_000), 1e-9);
    }

    @Test
    void choiceSwitchesWhereThePredictedCostsCross() {
        LoraCostModel m = model();
        // gathered 5 + 2w + 3·4 vs segmented 1 + 20·2 + w (two groups, stack reads 4): they cross at w = 24
        for (int w = 1; w < 60; w++) {
            Work x = work(2, w, w, 4);
            Path want = 5 + 2.0 * w + 12 <= 1 + 40 + w ? Path.GATHERED : Path.SEGMENTED;
            assertEquals(want, m.choose(x, EnumSet.of(Path.GATHERED, Path.SEGMENTED)), "work " + w);
        }
    }

    @Test
    void fitRecoversTheCoefficientsThatMadeTheSamples() {
        LoraCostModel truth = model();
        Random rnd = new Random(3);
        List<LoraCostModel.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Work w = new Work(1 + rnd.nextInt(3), rnd.nextDouble() * 50, rnd.nextDouble() * 80, rnd.nextDouble() * 20,
                    1 + rnd.nextInt(30), rnd.nextDouble() * 50, rnd.nextDouble() * 5);
            for (Path p : Path.values()) {
                samples.add(new LoraCostModel.Sample(p, w, truth.cost(p, w)));
            }
        }
        LoraCostModel fitted = LoraCostModel.fit(samples, new double[] {100, 10});
        for (Path p : Path.values()) {
            assertArrayEquals(truth.coefficients(p), fitted.coefficients(p), 1e-6, p.name());
        }
    }

    @Test
    void fitNeverGivesANegativeCoefficient() {
        // time falls as one feature grows: least squares would give it a negative coefficient
        List<LoraCostModel.Sample> samples = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            Work w = new Work(1, i, i, i, i, i, i);
            for (Path p : Path.values()) {
                samples.add(new LoraCostModel.Sample(p, w, 100 - i));
            }
        }
        LoraCostModel fitted = LoraCostModel.fit(samples, new double[] {0, 0});
        for (Path p : Path.values()) {
            for (double c : fitted.coefficients(p)) {
                assertTrue(c >= 0, p + ": " + c);
            }
        }
    }

    @Test
    void writesAndReadsAModelFileAndRefusesABadOne() throws IOException {
        java.nio.file.Path file = dir.resolve("costs.properties");
        model().write(file, "test");
        LoraCostModel back = LoraCostModel.read(file);
        for (Path p : Path.values()) {
            assertArrayEquals(model().coefficients(p), back.coefficients(p), 1e-9);
        }
        assertEquals(model().passCost(2, 1_000_000), back.passCost(2, 1_000_000), 1e-9);

        Files.writeString(file, "shared=1,2\ngathered=1,2,3\nsegmented=1,2,3,4\n");
        IOException e = assertThrows(IOException.class, () -> LoraCostModel.read(file));
        assertTrue(e.getMessage().contains("pass_micros"), e.getMessage());
        Files.writeString(file, "shared=1,x\ngathered=1,2,3\nsegmented=1,2,3,4\npass_micros=1,1\n");
        e = assertThrows(IOException.class, () -> LoraCostModel.read(file));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        Files.writeString(file, "shared=1,2\ngathered=1,-2,3\nsegmented=1,2,3,4\npass_micros=1,1\n");
        e = assertThrows(IOException.class, () -> LoraCostModel.read(file));
        assertTrue(e.getMessage().contains("not negative"), e.getMessage());
        Files.writeString(file, "shared=1\ngathered=1,2,3\nsegmented=1,2,3,4\npass_micros=1,1\n");
        e = assertThrows(IOException.class, () -> LoraCostModel.read(file));
        assertTrue(e.getMessage().contains("shared"), e.getMessage());
        assertNotNull(LoraCostModel.cpuDefaults());
    }
}
