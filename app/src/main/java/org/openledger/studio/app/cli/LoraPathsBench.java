package org.openledger.studio.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.lora.LoraCostModel;
import org.openledger.studio.gpu.lora.LoraPathBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code studio bench lora-paths}: times the shared, gathered (BGMV) and segmented (SGMV) LoRA paths on real
 * arrays over a grid of model widths, rows, distinct adapters, ranks and positions per row; fits the cost model
 * the running batch chooses by, and writes the table (and, with {@code --write-model}, the fitted model for the
 * node's {@code --lora-cost-model}).
 */
@Command(name = "lora-paths", mixinStandardHelpOptions = true,
        description = "Shared vs gathered (BGMV) vs segmented (SGMV) LoRA over rows, adapters, rank and width;"
                + " fits the per-step path cost model.")
final class LoraPathsBench implements Callable<Integer> {

    @Option(names = "--widths", split = ",", defaultValue = "256,512,1024",
            description = "Model widths (default: ${DEFAULT-VALUE}).")
    int[] widths;

    @Option(names = "--rows", split = ",", defaultValue = "1,4,16,64", description = "Rows (default: ${DEFAULT-VALUE}).")
    int[] rows;

    @Option(names = "--adapters", split = ",", defaultValue = "1,2,4,16,64",
            description = "Distinct adapters, at most the rows (default: ${DEFAULT-VALUE}).")
    int[] adapters;

    @Option(names = "--ranks", split = ",", defaultValue = "8,16,64", description = "Ranks (default: ${DEFAULT-VALUE}).")
    int[] ranks;

    @Option(names = "--positions", split = ",", defaultValue = "1,8",
            description = "Tokens per row in a step: 1 is decoding, more a prefill chunk (default: ${DEFAULT-VALUE}).")
    int[] positions;

    @Option(names = "--millis", defaultValue = "20", description = "Time each path at least this long per cell"
            + " (default: ${DEFAULT-VALUE}).")
    double millis;

    @Option(names = "--clock", defaultValue = "wall", description = "wall, or cpu: this thread's CPU time (CPU only,"
            + " with -Dai.djl.pytorch.num_threads=1), which leaves out waiting for a core on a busy machine.")
    String clock;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu, gpu:N or auto.")
    String device;

    @Option(names = "--out", description = "Write the table (markdown) here too.")
    Path out;

    @Option(names = "--write-model", description = "Write the fitted cost model here (for --lora-cost-model).")
    Path writeModel;

    @Override
    public Integer call() throws Exception {
        for (int[] list : List.of(widths, rows, adapters, ranks, positions)) {
            for (int v : list) {
                if (v < 1) {
                    throw new UserError("every width, row count, adapter count, rank and position count must be"
                            + " at least 1, got " + v);
                }
            }
        }
        if (!clock.equals("wall") && !clock.equals("cpu")) {
            throw new UserError("--clock is wall or cpu, not '" + clock + "'");
        }
        LoraPathBenchmark bench = new LoraPathBenchmark(millis, clock.equals("cpu"));
        List<LoraPathBenchmark.Cell> cells = new ArrayList<>();
        List<LoraPathBenchmark.Pass> passes = new ArrayList<>();
        List<LoraPathBenchmark.Merge> merges = new ArrayList<>();
        String deviceName = null;
        for (int width : widths) {
            if (width % 64 != 0) {
                throw new UserError("--widths: " + width + " is not a multiple of 64 (the head size)");
            }
            Path folder = ModelBench.randomModel(1, width, 256);
            try (BaseModel model = BaseModel.load(folder, DeviceScan.ofThisMachine().pick(device), 64, 256)) {
                deviceName = model.device().name();
                cells.addAll(bench.measure(model, rows, adapters, ranks, positions));
                passes.add(bench.pass(model));
                merges.add(bench.merge(model, 16, 16));
            }
        }
        LoraCostModel fitted = LoraCostModel.fit(LoraPathBenchmark.samples(cells), LoraPathBenchmark.fitPass(passes));
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "LoRA paths on %s, one q_proj site (in = out = width), float32,"
                + " microseconds per call (%s clock)%n%n", deviceName, clock));
        report.append(LoraPathBenchmark.table(cells, fitted)).append('\n');
        for (LoraPathBenchmark.Pass p : passes) {
            report.append(String.format(Locale.ROOT, "one more forward pass (1 row, 1 token), width %d: %.1f µs per"
                    + " layer%n", p.width(), p.micros()));
        }
        report.append('\n').append("one adapter on every projection, rank 16, a decoding step of 16 rows (per step):")
                .append('\n');
        for (LoraPathBenchmark.Merge m : merges) {
            report.append(String.format(Locale.ROOT, "  width %d: base alone %.1f µs, unmerged (shared) %.1f µs (%.2fx"
                            + " base), merged copy %.1f µs (%.2fx base); merging took %.1f ms%n", m.width(),
                    m.baseMicros(), m.unmergedMicros(), m.unmergedMicros() / m.baseMicros(), m.mergedMicros(),
                    m.mergedMicros() / m.baseMicros(), m.mergeMillis()));
        }
        report.append('\n').append("fitted model:").append('\n');
        for (LoraCostModel.Path p : LoraCostModel.Path.values()) {
            report.append(String.format(Locale.ROOT, "  %s %s = %s%n", p.name().toLowerCase(Locale.ROOT),
                    LoraCostModel.FEATURES.get(p), java.util.Arrays.toString(fitted.coefficients(p))));
        }
        report.append("fitted: ").append(LoraPathBenchmark.summary(cells, fitted)).append('\n');
        report.append("built-in defaults: ").append(LoraPathBenchmark.summary(cells, LoraCostModel.cpuDefaults()))
                .append('\n');
        System.out.print(report);
        if (out != null) {
            Files.writeString(out, report.toString());
        }
        if (writeModel != null) {
            fitted.write(writeModel, "measured by studio bench lora-paths on " + deviceName);
            System.out.println("cost model written to " + writeModel);
        }
        return 0;
    }
}
