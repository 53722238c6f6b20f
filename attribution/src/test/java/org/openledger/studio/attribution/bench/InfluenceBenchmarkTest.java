package org.openledger.studio.attribution.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.model.BundledModel;

/** A very small run of the whole benchmark on the bundled model: every part runs and reports sane numbers. */
class InfluenceBenchmarkTest {

    @Test
    void aTinyRunOfEveryPartReportsItsNumbers(@TempDir Path dir) throws Exception {
        Path model = new BundledModel().extractTo(dir.resolve("models"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InfluenceBenchmark.Options o = InfluenceBenchmark.Options.tiny(model, dir.resolve("work"));
        InfluenceBenchmark.Report r = InfluenceBenchmark.measure(o, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(text);

        InfluenceBenchmark.Planted p = r.planted();
        assertEquals(o.facts(), p.facts());
        assertEquals(o.facts() + o.ordinaryRows(), p.rows());
        assertTrue(p.answerLossAfter() < p.answerLossBefore(), "training lowers the facts' answer loss");
        assertTrue(p.gradientsPerSecond() > 0);
        assertTrue(p.recall1().containsKey(InfluenceBenchmark.TRACIN));
        assertTrue(p.recall1().containsKey(InfluenceBenchmark.gram(0.1)));
        p.recall1().values().forEach(v -> assertTrue(v >= 0 && v <= 1));
        // even a tiny run finds most planted facts by their own answer
        assertTrue(p.recall10().get(InfluenceBenchmark.gram(0.1)) >= 0.5, "recall@10 " + p.recall10());

        InfluenceBenchmark.Lds l = r.lds();
        assertEquals(o.retrains(), l.retrains());
        l.lds().values().forEach(v -> assertTrue(Double.isNaN(v) || v >= -1 && v <= 1, "LDS " + v));

        InfluenceBenchmark.Speed s = r.speed();
        assertEquals(o.speedRows(), s.rows());
        assertTrue(s.p50Ms() > 0 && s.p99Ms() >= s.p50Ms());
        assertTrue(text.contains("recall@1") && text.contains("LDS") && text.contains("p50"), text);
    }

    @Test
    void spearmanRanksWithTies() {
        assertEquals(1.0, BenchStats.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}),
                1e-12);
        assertEquals(-1.0, BenchStats.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
        assertArrayEquals(new double[] {1.5, 1.5, 3}, BenchStats.ranks(new double[] {5, 5, 7}), 1e-12);
        assertTrue(Double.isNaN(BenchStats.spearman(new double[] {1, 1}, new double[] {1, 2})));
        assertEquals(1, BenchStats.rank(new float[] {0.5f, 0.2f}, 0));
        assertEquals(2, BenchStats.rank(new float[] {0.5f, 0.2f}, 1));
    }
}
