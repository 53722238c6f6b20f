package org.openledger.studio.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.api.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code studio bench}: measurements recorded in docs/BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the studio and its engines.",
        subcommands = {BenchCommand.Startup.class, ModelBench.class, TrainBench.class, DatanetBench.class,
                AttributionBench.class, LoadBench.class, AdapterBench.class, LoraPathsBench.class,
                DecodeBench.class, ServeBench.class})
public final class BenchCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UserError("name a benchmark, e.g. `studio bench startup`; see `studio bench --help`");
    }

    /**
     * Cold start to first frame and idle memory: each run is a new JVM (as a user's double-click), with a fresh home
     * folder, measured from process spawn; the baseline is a bare JavaFX window started the same way.
     */
    @Command(name = "startup", mixinStandardHelpOptions = true,
            description = "Cold start to first frame and idle memory of the studio, against a bare JavaFX window."
                    + " Needs a display (e.g. xvfb-run -a).")
    static final class Startup implements Callable<Integer> {

        @Option(names = "--runs", defaultValue = "5", description = "Runs of each (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--idle-seconds", defaultValue = "10",
                description = "Idle time before memory is read (default: ${DEFAULT-VALUE}).")
        int idleSeconds;

        @Override
        public Integer call() throws Exception {
            if (runs < 1) {
                throw new UserError("--runs must be at least 1");
            }
            List<long[]> studio = new ArrayList<>();
            List<long[]> baseline = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                baseline.add(once(true));
                studio.add(once(false));
                System.err.printf(Locale.ROOT, "run %d/%d done%n", i + 1, runs);
            }
            long studioFrame = median(studio, 0);
            long baseFrame = median(baseline, 0);
            System.out.printf(Locale.ROOT, "cold start to first frame (median of %d, from process spawn):%n", runs);
            System.out.printf(Locale.ROOT, "  studio   %6d ms%n  baseline %6d ms (bare JavaFX window)%n  ratio    %6.2f%n",
                    studioFrame, baseFrame, studioFrame / (double) baseFrame);
            System.out.printf(Locale.ROOT, "idle memory after %d s (median):%n", idleSeconds);
            System.out.printf(Locale.ROOT, "  studio heap after GC %6.1f MiB   baseline %6.1f MiB%n",
                    mib(median(studio, 1)), mib(median(baseline, 1)));
            System.out.printf(Locale.ROOT, "  studio RSS           %6.1f MiB   baseline %6.1f MiB   ratio %.2f%n",
                    mib(median(studio, 2)), mib(median(baseline, 2)), median(studio, 2) / (double) median(baseline, 2));
            System.out.printf(Locale.ROOT, "  local node RSS       %6.1f MiB (separate process)%n", mib(median(studio, 3)));
            return 0;
        }

        /** One cold start: {first frame ms from spawn, heap bytes, studio RSS, node RSS}. */
        private long[] once(boolean bare) throws Exception {
            Path home = Files.createTempDirectory("studio-bench-");
            Path out = home.resolve("startup.json");
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "org.openledger.studio.app.Launcher",
                    "desktop", "--home", home.toString(), "--measure-startup", out.toString(),
                    "--idle-seconds", Integer.toString(idleSeconds)));
            if (bare) {
                cmd.add("--baseline");
            }
            long spawned = System.currentTimeMillis();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(home.resolve("run.log").toFile()).start();
            if (!p.waitFor(idleSeconds + 120L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new UserError("a run did not finish; see " + home.resolve("run.log"));
            }
            if (!Files.exists(out)) {
                throw new UserError("a run wrote no figures (no display? try xvfb-run -a); see " + home.resolve("run.log"));
            }
            JsonNode j = Wire.mapper().readTree(out.toFile());
            return new long[]{j.path("first_frame_epoch_ms").asLong() - spawned,
                    j.path("heap_used_after_gc_bytes").asLong(), j.path("studio_rss_bytes").asLong(),
                    j.path("node_rss_bytes").asLong()};
        }

        private static long median(List<long[]> rows, int column) {
            long[] v = rows.stream().mapToLong(r -> r[column]).toArray();
            Arrays.sort(v);
            return v[v.length / 2];
        }

        private static double mib(long bytes) {
            return bytes / (1024.0 * 1024.0);
        }
    }
}
