package org.openledger.studio.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceException;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.generate.DecodeBenchmark;
import org.openledger.studio.model.BundledModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code studio bench decode}: batch-1 decode as served (the engine is {@link DecodeBenchmark}) on the bundled
 * model and on a random 4 x 512 model: ms a step, tokens/s, the step's overhead beyond reading its weights, and
 * weight bytes/s against a large array copy measured in the same run.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Batch-1 decode ms/step, tokens/s, per-step overhead and share of the memory-copy bandwidth.")
final class DecodeBench implements Callable<Integer> {

    @Option(names = "--prompt", defaultValue = "32", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
    int prompt;

    @Option(names = "--steps", defaultValue = "64", description = "Decode steps timed (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu, gpu:N or auto.")
    String device;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("studio-bench-decode-");
        double java = DecodeBenchmark.javaCopyBandwidth();
        System.out.printf(Locale.ROOT, "baseline: System.arraycopy of 256 MiB, one thread: %.2f GB/s%n", java / 1e9);
        measure(new BundledModel().extractTo(work.resolve("models")), java);
        measure(ModelBench.randomModel(4, 512, 256), java);
        return 0;
    }

    private void measure(Path folder, double java) throws Exception {
        try (BaseModel m = BaseModel.load(folder, DeviceScan.ofThisMachine().pick(device), 1, prompt + steps + 1)) {
            DecodeBenchmark.Result r = new DecodeBenchmark(m).run(prompt, steps, 42);
            System.out.printf(Locale.ROOT, "%s (%d x %d, %.1f M parameters, %.1f MB read a step) on %s:%n", m.id(),
                    m.config().numLayers(), m.config().hiddenSize(), m.config().parameterCount() / 1e6,
                    r.weightBytes() / 1e6, m.device().name());
            System.out.printf(Locale.ROOT, "  decode: median %.3f ms/step (mean %.3f, %d steps), %.1f tokens/s%n",
                    r.medianStepMillis(), r.meanStepMillis(), r.steps(), r.tokensPerSecond());
            System.out.printf(Locale.ROOT, "  engine copy of 256 MiB on the device: %.2f GB/s; decode reads weights at"
                            + " %.2f GB/s = %.2f of it (%.2f of the Java copy)%n", r.engineCopyBytesPerSecond() / 1e9,
                    r.weightBytesPerSecond() / 1e9, r.shareOfCopy(), r.weightBytesPerSecond() / java);
            System.out.printf(Locale.ROOT, "  per-step overhead beyond reading the weights at the copy rate: %.3f ms%n",
                    r.overheadMillis());
            System.out.printf(Locale.ROOT, "  by the generating thread's CPU time: median %.3f ms/step, copy %.2f GB/s,"
                            + " share %.2f, overhead %.3f ms/step%n", r.medianStepCpuMillis(),
                    r.engineCopyCpuBytesPerSecond() / 1e9, r.cpuShareOfCopy(), r.cpuOverheadMillis());
        } catch (DeviceException e) {
            throw new UserError(e.getMessage());
        }
    }
}
