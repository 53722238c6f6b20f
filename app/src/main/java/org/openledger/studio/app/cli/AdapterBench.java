package org.openledger.studio.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.lora.AdapterStore;
import org.openledger.studio.gpu.lora.AdapterWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.safetensors.Tensor;
import org.openledger.studio.model.BundledModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code studio bench adapters}: cold-load latency of one adapter (disk → host → device through the store, the
 * file in the OS page cache) on the bundled model and on a random 4 x 512 model, and the host → device upload alone,
 * one flat copy against one copy per factor.
 */
@Command(name = "adapters", mixinStandardHelpOptions = true,
        description = "Cold adapter load p50/p99 (disk -> host -> device) and flat vs per-factor upload.")
final class AdapterBench implements Callable<Integer> {

    @Option(names = "--rank", defaultValue = "16", description = "Adapter rank (default: ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--runs", defaultValue = "100", description = "Loads measured (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu, gpu:N or auto.")
    String device;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("studio-bench-adapters-");
        measure(new BundledModel().extractTo(work.resolve("models")), work.resolve("a-bundled"));
        measure(ModelBench.randomModel(4, 512, 256), work.resolve("a-random"));
        return 0;
    }

    private void measure(Path modelDir, Path adapters) throws Exception {
        try (BaseModel base = BaseModel.load(modelDir, DeviceScan.ofThisMachine().pick(device), 1, 256)) {
            Adapter adapter = random(base.config(), rank);
            adapter.save(adapters.resolve("bench"));
            long bytes = AdapterStore.deviceBytes(adapter);
            double[] cold = new double[runs];
            double[] flat = new double[runs];
            double[] each = new double[runs];
            try (AdapterStore store = new AdapterStore(adapters, base, AdapterStore.Limits.ofCount(4),
                    AdapterStore.fileStamps(adapters))) {
                for (int i = -5; i < runs; i++) { // five warm-up loads
                    store.unload("bench");
                    long t0 = System.nanoTime();
                    store.lease("bench").close();
                    if (i >= 0) {
                        cold[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            for (int i = -5; i < runs; i++) {
                long t0 = System.nanoTime();
                AdapterWeights.uploadFlat(adapter, base).close();
                long t1 = System.nanoTime();
                base.upload(adapter).close();
                long t2 = System.nanoTime();
                if (i >= 0) {
                    flat[i] = (t1 - t0) / 1e6;
                    each[i] = (t2 - t1) / 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "%s (%d layers, hidden %d) on %s: rank-%d adapter on q/k/v/o, %d factors,"
                            + " %.2f MB float32%n", base.id(), base.config().numLayers(), base.config().hiddenSize(),
                    base.device().name(), rank, 2 * adapter.factors().size(), bytes / 1e6);
            System.out.printf(Locale.ROOT, "  cold load (disk -> host -> device): p50 %.2f ms, p99 %.2f ms (%d runs)%n",
                    pct(cold, 50), pct(cold, 99), runs);
            System.out.printf(Locale.ROOT, "  upload host -> device: flat p50 %.3f ms p99 %.3f ms; per factor p50 %.3f"
                    + " ms p99 %.3f ms%n", pct(flat, 50), pct(flat, 99), pct(each, 50), pct(each, 99));
        }
    }

    private static double pct(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private static Adapter random(ModelConfig c, int r) {
        Random rnd = new Random(16);
        Map<Adapter.Site, Adapter.Factors> f = new LinkedHashMap<>();
        EnumSet<Projection> targets = EnumSet.of(Projection.Q, Projection.K, Projection.V, Projection.O);
        for (int l = 0; l < c.numLayers(); l++) {
            for (Projection p : targets) {
                long[] w = p.weightShape(c);
                f.put(new Adapter.Site(l, p), new Adapter.Factors(gaussian(rnd, r, w[1]), gaussian(rnd, w[0], r)));
            }
        }
        return new Adapter("bench", new AdapterConfig(r, 2.0 * r, targets, false, null), f);
    }

    private static Tensor gaussian(Random rnd, long rows, long cols) {
        float[] v = new float[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.02 * rnd.nextGaussian());
        }
        return Tensor.of(v, rows, cols);
    }
}
