package org.openledger.studio.app.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.openledger.studio.finetune.ModelInit;
import org.openledger.studio.finetune.TrainingBenchmark.Measurement;
import org.openledger.studio.finetune.TrainingBenchmark.Mode;
import org.openledger.studio.finetune.TrainingBenchmark.Report;
import org.openledger.studio.finetune.TrainingBenchmark;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.device.DeviceException;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.model.LlamaWeights;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.store.Folders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code studio bench train}: training tokens/s, step time and memory of LoRA against full fine-tuning of the same
 * model, measured in the same run (the engine is {@link TrainingBenchmark}). Models: the bundled base model, loaded
 * as {@code studio daemon} loads it, and a random 4-layer d=512 Llama.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training tokens/s, median step time and peak memory of LoRA (r=8) against full fine-tuning.")
final class TrainBench implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "both",
            description = "bundled, d512 or both (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--steps", defaultValue = "10", description = "Measured steps per mode (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "2",
            description = "Unmeasured steps first, per mode (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--batch", defaultValue = "8", description = "Windows per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--context", defaultValue = "128", description = "Tokens per window (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--lora", defaultValue = "qv,all", split = ",",
            description = "LoRA variants: qv (q_proj, v_proj) and/or all (all 7 projections) (default: ${DEFAULT-VALUE}).")
    List<String> lora;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the data and initial weights.")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (!List.of("bundled", "d512", "both").contains(model)) {
            throw new UserError("--model must be bundled, d512 or both, not '" + model + "'");
        }
        if (steps < 1) {
            throw new UserError("--steps must be at least 1, got " + steps);
        }
        if (warmup < 0) {
            throw new UserError("--warmup must be 0 or more, got " + warmup);
        }
        if (batch < 1) {
            throw new UserError("--batch must be at least 1, got " + batch);
        }
        if (context < 2) {
            throw new UserError("--context must be at least 2, got " + context);
        }
        Set<Mode> modes = EnumSet.of(Mode.FULL);
        for (String v : lora) {
            switch (v.trim()) {
                case "qv" -> modes.add(Mode.LORA_QV);
                case "all" -> modes.add(Mode.LORA_ALL);
                case "none", "" -> { }
                default -> throw new UserError("--lora takes qv, all or none, not '" + v + "'");
            }
        }
        Path models = Files.createTempDirectory("studio-bench-train-");
        try {
            Path bundled = null;
            if (!model.equals("d512")) {
                // checked before the device scan, so a context the model cannot take fails at once, in one line
                bundled = ModelServing.bundled(models);
                int positions = ModelConfig.read(bundled).maxPositionEmbeddings();
                if (context > positions) {
                    throw new UserError("--context " + context + " exceeds the bundled model's " + positions
                            + " positions");
                }
            }
            ComputeDevice dev;
            try {
                dev = DeviceScan.ofThisMachine().pick(device);
            } catch (DeviceException e) {
                throw new UserError(e.getMessage());
            }
            TrainingBenchmark bench = new TrainingBenchmark(
                    new TrainingBenchmark.Settings(warmup, steps, batch, context, seed), System.err::println);
            List<Report> reports = new ArrayList<>();
            if (bundled != null) {
                try (BaseModel m = BaseModel.load(bundled, dev, batch, context)) {
                    reports.add(bench.run("bundled " + m.id(), m.transformer(), modes));
                } catch (DeviceException e) {
                    throw new UserError("The bundled model does not fit on " + dev.id() + ": " + e.getMessage());
                }
            }
            if (!model.equals("bundled")) {
                reports.add(d512(bench, dev, modes));
            }
            print(reports);
            return 0;
        } finally {
            Folders.deleteQuietly(models);
        }
    }

    private Report d512(TrainingBenchmark bench, ComputeDevice dev, Set<Mode> modes) throws IOException {
        ModelConfig c = TrainingBenchmark.d512(context);
        try (NDManager manager = NDManager.newBaseManager(dev.djl());
             LlamaWeights w = LlamaWeights.load(c, LlamaWeights.sourceOf(ModelInit.random(c, seed)),
                     manager.newSubManager())) {
            return bench.run("random d512", new Transformer(w), modes);
        }
    }

    private void print(List<Report> reports) {
        System.out.printf(Locale.ROOT, "training: %d measured steps after %d warm-up, batch %d x context %d = %d tokens"
                + " a step, on %s; median step time; LoRA r=%d alpha %.0f%n", steps, warmup, batch, context,
                (long) batch * context, device, TrainingBenchmark.LORA_RANK, TrainingBenchmark.LORA_ALPHA);
        for (Report r : reports) {
            ModelConfig c = r.config();
            System.out.printf(Locale.ROOT, "%s: %d layers x %d, %d heads (%d kv), SwiGLU %d, vocab %d, %s embeddings,"
                            + " %.2fM parameters%n", r.model(), c.numLayers(), c.hiddenSize(), c.numHeads(),
                    c.numKvHeads(), c.intermediateSize(), c.vocabSize(), c.tieWordEmbeddings() ? "tied" : "untied",
                    r.parameters() / 1e6);
        }
        System.out.println();
        System.out.println("| model | mode | trained params | step ms | train tok/s | step vs full | peak RSS growth MiB"
                + " | RSS vs full | weights+grads+AdamW MiB | vs full |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Report r : reports) {
            Measurement full = r.full();
            List<Measurement> ordered = new ArrayList<>(r.measurements());
            ordered.sort(Comparator.comparing(m -> m.mode() != Mode.FULL)); // the baseline first
            for (Measurement m : ordered) {
                System.out.printf(Locale.ROOT, "| %s | %s | %,d | %.1f | %,.0f | %.2f | %s | %s | %.1f | %.3f |%n",
                        r.model(), m.mode().label(), m.trainableParameters(), m.medianStepSeconds() * 1e3,
                        m.tokensPerSecond(), m.medianStepSeconds() / full.medianStepSeconds(),
                        m.peakRssGrowthBytes() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", mib(m.peakRssGrowthBytes())),
                        m.peakRssGrowthBytes() < 0 || full.peakRssGrowthBytes() <= 0 ? "n/a"
                                : String.format(Locale.ROOT, "%.2f",
                                m.peakRssGrowthBytes() / (double) full.peakRssGrowthBytes()),
                        mib(m.exactBytes()), m.exactBytes() / (double) full.exactBytes());
            }
        }
        long bad = reports.stream().flatMap(r -> r.measurements().stream()).mapToInt(Measurement::nonFiniteSteps).sum();
        if (bad > 0) {
            System.out.println("warning: " + bad + " steps had a non-finite loss; their updates were skipped");
        }
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
