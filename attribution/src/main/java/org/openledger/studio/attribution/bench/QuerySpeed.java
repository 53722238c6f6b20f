package org.openledger.studio.attribution.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.openledger.studio.attribution.influence.IndexedRow;
import org.openledger.studio.attribution.influence.InfluenceIndex;
import org.openledger.studio.attribution.influence.InfluenceIndexBuilder;
import org.openledger.studio.attribution.influence.Preconditioner;

/**
 * The influence query's speed: a synthetic float16 index (random vectors, the node's file format), the time of
 * {@link InfluenceIndex#scores} plus the top rows over many queries.
 */
final class QuerySpeed {

    private QuerySpeed() {
    }

    static InfluenceBenchmark.Speed measure(InfluenceBenchmark.Options o, PrintStream out) throws IOException {
        Path dir = o.work().resolve("speed-index");
        int k = o.speedK();
        int parameters = Math.max(k + 1, 16_384);
        List<IndexedRow> rows = new ArrayList<>(o.speedRows());
        for (int i = 0; i < o.speedRows(); i++) {
            rows.add(new IndexedRow("line:" + (i + 1), null, null, null, null, "synthetic row " + i));
        }
        out.printf(Locale.ROOT, "speed: writing a synthetic index of %d rows x k = %d...%n", o.speedRows(), k);
        long w0 = System.nanoTime();
        InfluenceIndex index;
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            index = InfluenceIndexBuilder.fromVectors(dir, new InfluenceIndexBuilder.Spec("bench-speed", "synthetic",
                    "synthetic", k, o.seed(), Preconditioner.Kind.GRAM, Preconditioner.DEFAULT_DAMPING), parameters,
                    rows, row -> gaussian(new SplittableRandom(o.seed() * 31 + row), k, 1e-2), m,
                    InfluenceIndexBuilder.SHARD_ROWS);
        }
        double writeSeconds = (System.nanoTime() - w0) / 1e9;
        long o0 = System.nanoTime();
        index = InfluenceIndex.open(dir);
        double openSeconds = (System.nanoTime() - o0) / 1e9;
        SplittableRandom rnd = new SplittableRandom(o.seed() ^ 0x5EEDL);
        int warm = o.queries() / 5 + 1;
        double[] ms = new double[o.queries()];
        long sink = 0;
        for (int i = 0; i < warm + o.queries(); i++) {
            float[] q = gaussian(rnd, k, 1e-2);
            long t0 = System.nanoTime();
            float[] s = index.scores(q, true);
            List<InfluenceIndex.Scored> top = InfluenceIndex.top(s, o.topK());
            long t1 = System.nanoTime();
            sink += top.get(0).row();
            if (i >= warm) {
                ms[i - warm] = (t1 - t0) / 1e6;
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        InfluenceBenchmark.Speed sp = new InfluenceBenchmark.Speed(index.rows(), index.k(), index.bytes(), writeSeconds,
                openSeconds, o.queries(), BenchStats.percentile(sorted, 0.5), BenchStats.percentile(sorted, 0.99),
                BenchStats.mean(ms), sorted[sorted.length - 1]);
        if (sink == Long.MIN_VALUE) {
            out.println(sink);
        }
        return sp;
    }

    private static float[] gaussian(SplittableRandom rnd, int k, double scale) {
        float[] v = new float[k];
        for (int j = 0; j < k; j++) {
            // Box-Muller
            double u = 1 - rnd.nextDouble();
            double w = rnd.nextDouble();
            v[j] = (float) (scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w));
        }
        return v;
    }
}
