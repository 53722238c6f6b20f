package org.openledger.studio.app.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.adapters.AdapterRegistration;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.safetensors.Tensor;

/**
 * The adapters {@code studio bench serve} serves: PEFT folders (adapter_config.json + adapter_model.safetensors,
 * float32) of rank {@code r} on q/k/v/o of every layer, each drawn from its own seed, so adapter {@code i} of a run
 * with seed {@code s} has the same bytes on every machine. They are written to a staging folder and handed to the
 * node through {@code POST /v1/adapters} with {@code move}, as an operator registers one.
 */
final class BenchAdapters {

    static final EnumSet<Projection> TARGETS = EnumSet.of(Projection.Q, Projection.K, Projection.V, Projection.O);

    private final ModelConfig model;
    private final int rank;
    private final long seed;
    private final Path staging;
    private int registered;

    BenchAdapters(ModelConfig model, int rank, long seed, Path staging) {
        this.model = model;
        this.rank = rank;
        this.seed = seed;
        this.staging = staging;
    }

    /** The id of adapter {@code i} (0-based; adapter 0 is the most requested under Zipf traffic). */
    static String id(int i) {
        return String.format(java.util.Locale.ROOT, "bench-%05d", i);
    }

    int registered() {
        return registered;
    }

    /** Writes and registers adapters until {@code count} are served by {@code node}. */
    void registerUpTo(int count, NodeClient node) throws IOException {
        for (int i = registered; i < count; i++) {
            register(i, node);
            registered = i + 1;
        }
    }

    /** Writes adapter {@code i} to the staging folder and registers it on {@code node} (the files move there). */
    void register(int i, NodeClient node) throws IOException {
        Path dir = staging.resolve(id(i));
        Files.createDirectories(staging);
        adapter(i).save(dir);
        node.registerAdapter(new AdapterRegistration(dir.toAbsolutePath().toString(), id(i), true, false));
    }

    /** Adapter {@code i}: A and B Gaussian (std 0.02, B non-zero so it changes the output), alpha = 2r. */
    Adapter adapter(int i) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + i);
        Map<Adapter.Site, Adapter.Factors> f = new LinkedHashMap<>();
        for (int l = 0; l < model.numLayers(); l++) {
            for (Projection p : TARGETS) {
                long[] w = p.weightShape(model);
                f.put(new Adapter.Site(l, p), new Adapter.Factors(gaussian(rnd, rank, w[1]), gaussian(rnd, w[0], rank)));
            }
        }
        return new Adapter(id(i), new AdapterConfig(rank, 2.0 * rank, TARGETS, false, null), f);
    }

    private static Tensor gaussian(SplittableRandom rnd, long rows, long cols) {
        float[] v = new float[Math.toIntExact(rows * cols)];
        for (int i = 0; i < v.length; i += 2) {
            // Box-Muller, two values a draw
            double u = 1.0 - rnd.nextDouble();
            double r = 0.02 * Math.sqrt(-2 * Math.log(u));
            double a = 2 * Math.PI * rnd.nextDouble();
            v[i] = (float) (r * Math.cos(a));
            if (i + 1 < v.length) {
                v[i + 1] = (float) (r * Math.sin(a));
            }
        }
        return Tensor.of(v, rows, cols);
    }
}
