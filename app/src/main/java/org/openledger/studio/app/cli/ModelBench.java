package org.openledger.studio.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.openledger.studio.app.load.MemoryCopy;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceException;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.generate.Throughput;
import org.openledger.studio.gpu.generate.ThroughputBenchmark;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.safetensors.DType;
import org.openledger.studio.gpu.safetensors.SafetensorsWriter;
import org.openledger.studio.gpu.safetensors.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code studio bench model}: prefill and decode speed at several batch sizes. Decode streams every weight once per
 * step, so its bytes/s are held against the machine's memory bandwidth, measured in the same run by copying a
 * buffer larger than the caches: that ratio is the share of the physical limit the runtime reaches.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Prefill and decode tokens/s at batch 1, 8 and 32, and weight bytes streamed per second in decode.")
final class ModelBench implements Callable<Integer> {

    @Option(names = "--model", description = "A model folder; without it, a random Llama model of --layers/--hidden.")
    Path model;

    @Option(names = "--layers", defaultValue = "4", description = "Random model: layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--hidden", defaultValue = "512", description = "Random model: width (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--batches", split = ",", defaultValue = "1,8,32", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    int[] batches;

    @Option(names = "--prompt", defaultValue = "64", description = "Prompt tokens per row (default: ${DEFAULT-VALUE}).")
    int prompt;

    @Option(names = "--new-tokens", defaultValue = "32", description = "Tokens decoded per row (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu, gpu:N or auto.")
    String device;

    @Override
    public Integer call() throws Exception {
        Path folder = model != null ? model : randomModel();
        int maxBatch = java.util.Arrays.stream(batches).max().orElse(1);
        try (BaseModel m = BaseModel.load(folder, DeviceScan.ofThisMachine().pick(device), maxBatch, prompt + newTokens)) {
            ModelConfig c = m.config();
            double bandwidth = memoryBandwidth();
            System.out.printf(Locale.ROOT, "model %s: %d layers, hidden %d, %.1f M parameters, on %s%n", m.id(),
                    c.numLayers(), c.hiddenSize(), c.parameterCount() / 1e6, m.device().name());
            System.out.printf(Locale.ROOT, "baseline: memory copy %.2f GB/s (one thread, 256 MiB buffer)%n",
                    bandwidth / 1e9);
            for (int b : batches) {
                Throughput t = new ThroughputBenchmark(m).run(b, prompt, newTokens, 42);
                System.out.printf(Locale.ROOT, "batch %2d: prefill %8.0f tok/s, decode %8.0f tok/s, weights %.2f GB/s"
                                + " (%.2f of the memory-copy baseline)%n", b, t.prefillTokensPerSecond(),
                        t.decodeTokensPerSecond(), t.weightBytesPerSecond() / 1e9, t.weightBytesPerSecond() / bandwidth);
            }
        } catch (DeviceException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("The model cannot be loaded: " + e.getMessage());
        }
        return 0;
    }

    /** Bytes per second of copying a 256 MiB buffer (best of 5; see {@link MemoryCopy}). */
    static double memoryBandwidth() {
        return MemoryCopy.bytesPerSecond(256);
    }

    private Path randomModel() throws IOException {
        return randomModel(layers, hidden, prompt + newTokens);
    }

    /** A random Llama model of {@code layers} x {@code hidden} in a temporary folder. */
    static Path randomModel(int layers, int hidden, int context) throws IOException {
        int prompt = context;
        int newTokens = 0;
        ModelConfig c = ModelConfig.llama(hidden, hidden * 8 / 3 / 64 * 64, layers, Math.max(1, hidden / 64),
                Math.max(1, hidden / 128), 4096, Math.max(256, prompt + newTokens));
        Path dir = Files.createTempDirectory("studio-bench-model-").resolve("random-" + layers + "x" + hidden);
        Random rnd = new Random(7);
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("model.embed_tokens.weight", gaussian(rnd, 0.02, c.vocabSize(), hidden));
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            w.put(p + "input_layernorm.weight", ones(hidden));
            w.put(p + "post_attention_layernorm.weight", ones(hidden));
            for (Projection proj : Projection.values()) {
                long[] shape = proj.weightShape(c);
                w.put(proj.path(l) + ".weight", gaussian(rnd, 0.02, shape));
                if (proj.hasBias(c)) {
                    w.put(proj.path(l) + ".bias", gaussian(rnd, 0.02, shape[0]));
                }
            }
        }
        w.put("model.norm.weight", ones(hidden));
        if (!c.tieWordEmbeddings()) {
            w.put("lm_head.weight", gaussian(rnd, 0.02, c.vocabSize(), hidden));
        }
        Files.createDirectories(dir);
        c.write(dir);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), w, DType.F32, Map.of("format", "pt"));
        return dir;
    }

    private static Tensor gaussian(Random rnd, double std, long... shape) {
        float[] v = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std * rnd.nextGaussian());
        }
        return Tensor.of(v, shape);
    }

    private static Tensor ones(long n) {
        float[] v = new float[(int) n];
        java.util.Arrays.fill(v, 1f);
        return Tensor.of(v, n);
    }
}
