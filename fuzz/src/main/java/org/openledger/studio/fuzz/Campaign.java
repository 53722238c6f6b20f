package org.openledger.studio.fuzz;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs one {@link FuzzTarget}: first its regression inputs (files kept from earlier findings), then its seeds, then
 * mutants until the input count or the time budget is spent. Input {@code i} is drawn from its own random stream
 * {@code seed + i}, so a finding is reproduced from the seed and index it prints (or from the file it writes).
 *
 * <p>The oracle: an input passes when the target returns or throws what {@link FuzzTarget#accepted} accepts. Any
 * other exception, any {@link Error} (stack or heap exhausted included) and any input that runs past the per-input
 * time-out is a finding; each distinct one (by exception type and the first frame of the target's code) is written to
 * {@code <findings>/<target>/<sha-256 prefix>.bin} with a {@code .txt} beside it holding the stack trace.
 *
 * <p>System properties (CI's short run uses the defaults; {@code scripts/fuzz.sh} sets them for long ones):
 * {@code fuzz.seed} (default 1), {@code fuzz.inputs} (default 30 per target, so the CI run tries the same inputs on
 * every machine however fast), {@code fuzz.seconds} (default 30 per target, a cap), {@code fuzz.timeoutMillis} (default 5,000 per input), {@code fuzz.findings} (default
 * {@code target/fuzz-findings}), {@code fuzz.report} (a TSV file each campaign appends its figures to),
 * {@code fuzz.keepLast} (writes every input to {@code <findings>/<target>/last-input.bin} before it runs, so that an
 * input that aborts the whole JVM, as a native library's panic does, is kept).
 */
public final class Campaign {

    /** How a campaign runs. */
    public record Config(long seed, long maxInputs, Duration budget, Duration perInput, Path findings, Path report,
                         boolean keepLast) {

        public static Config fromSystemProperties() {
            String report = System.getProperty("fuzz.report");
            return new Config(Long.getLong("fuzz.seed", 1L), Long.getLong("fuzz.inputs", 30L),
                    Duration.ofMillis((long) (Double.parseDouble(System.getProperty("fuzz.seconds", "30")) * 1000)),
                    Duration.ofMillis(Long.getLong("fuzz.timeoutMillis", 5_000L)),
                    Path.of(System.getProperty("fuzz.findings", "target/fuzz-findings")),
                    report == null || report.isBlank() ? null : Path.of(report),
                    Boolean.getBoolean("fuzz.keepLast"));
        }
    }

    /** One distinct failure: how it failed, the input that did it and where that input was written. */
    public record Finding(String kind, long index, String summary, Path file) {
    }

    /** What a campaign did. */
    public record Report(String target, long inputs, double seconds, List<Finding> findings) {
        public double inputsPerSecond() {
            return seconds <= 0 ? 0 : inputs / seconds;
        }

        @Override
        public String toString() {
            return String.format("fuzz %s: %d inputs in %.1f s (%.0f/s), %d finding(s)", target, inputs, seconds,
                    inputsPerSecond(), findings.size());
        }
    }

    private final Config config;

    public Campaign(Config config) {
        this.config = config;
    }

    /** A campaign configured by the {@code fuzz.*} system properties. */
    public static Campaign fromSystemProperties() {
        return new Campaign(Config.fromSystemProperties());
    }

    /**
     * Runs {@code target}; {@code regressions} is a folder of inputs replayed first (may be absent).
     */
    public Report run(FuzzTarget target, Path regressions) throws IOException {
        List<byte[]> fixed = new ArrayList<>();
        if (regressions != null && Files.isDirectory(regressions.resolve(target.name()))) {
            try (Stream<Path> files = Files.list(regressions.resolve(target.name()))) {
                for (Path f : files.sorted().toList()) {
                    fixed.add(Files.readAllBytes(f));
                }
            }
        }
        fixed.addAll(target.seeds());
        Mutator mutator = new Mutator(target.seeds());
        Map<String, Finding> findings = new LinkedHashMap<>();
        ExecutorService worker = newWorker(target.name());
        long start = System.nanoTime();
        long deadline = start + config.budget().toNanos();
        long i = 0;
        try {
            for (; i < config.maxInputs() + fixed.size() && (i < fixed.size() || System.nanoTime() < deadline); i++) {
                byte[] input;
                if (i < fixed.size()) {
                    input = fixed.get((int) i);
                } else {
                    Random r = new Random(config.seed() * 0x9E3779B97F4A7C15L + i);
                    byte[] seed = target.seeds().get(r.nextInt(target.seeds().size()));
                    input = target.mutate(seed, r, mutator);
                }
                if (config.keepLast()) {
                    // a native library that aborts the JVM leaves no finding behind; this file is the input that did
                    Path last = config.findings().resolve(target.name()).resolve("last-input.bin");
                    Files.createDirectories(last.getParent());
                    Files.write(last, input);
                }
                Failure f = runOne(worker, target, input);
                if (f != null) {
                    if (f.kind().equals("hang")) {
                        worker.shutdownNow(); // the hung thread is abandoned (a daemon thread)
                        worker = newWorker(target.name());
                    }
                    if (!findings.containsKey(f.key()) && findings.size() < 50) {
                        findings.put(f.key(), new Finding(f.kind(), i, f.summary(),
                                write(target.name(), input, f, i)));
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
        Report report = new Report(target.name(), i, (System.nanoTime() - start) / 1e9,
                List.copyOf(findings.values()));
        System.out.println(report + ", seed " + config.seed());
        if (config.report() != null) {
            Files.createDirectories(config.report().toAbsolutePath().getParent());
            Files.writeString(config.report(), String.format("%s\t%d\t%.1f\t%.0f\t%d\t%d%n", target.name(),
                    report.inputs(), report.seconds(), report.inputsPerSecond(), report.findings().size(),
                    config.seed()), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return report;
    }

    private record Failure(String kind, String key, String summary, String trace) {
    }

    private Failure runOne(ExecutorService worker, FuzzTarget target, byte[] input) {
        Future<?> done = worker.submit(() -> {
            target.run(input);
            return null;
        });
        try {
            done.get(config.perInput().toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            done.cancel(true);
            return new Failure("hang", "hang", "ran past " + config.perInput().toMillis() + " ms", "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("fuzz campaign interrupted", e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (!(t instanceof Error) && target.accepted(t)) {
                return null;
            }
            String kind = t instanceof Error ? "error" : "exception";
            StackTraceElement top = firstFrame(t);
            String key = t.getClass().getName() + "@" + (top == null ? "?" : top.getClassName() + "."
                    + top.getMethodName() + ":" + top.getLineNumber());
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            return new Failure(kind, key, t.getClass().getName() + ": " + firstLine(t.getMessage()) + " at "
                    + (top == null ? "?" : top), trace.toString());
        }
    }

    /** The first frame in the project's code (where the bug most likely is), else the top frame. */
    private static StackTraceElement firstFrame(Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        for (StackTraceElement f : frames) {
            if (f.getClassName().startsWith("org.openledger.studio") && !f.getClassName().contains(".fuzz.")) {
                return f;
            }
        }
        return frames.length == 0 ? null : frames[0];
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private Path write(String target, byte[] input, Failure f, long index) {
        try {
            Path dir = config.findings().resolve(target);
            Files.createDirectories(dir);
            String name = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(input)).substring(0, 16);
            Path file = dir.resolve(name + ".bin");
            Files.write(file, input);
            Files.writeString(dir.resolve(name + ".txt"), "target " + target + ", seed " + config.seed()
                    + ", input " + index + ", " + f.kind() + "\n" + f.summary() + "\n\n" + f.trace());
            return file;
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return null;
        }
    }

    private static ExecutorService newWorker(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + name);
            t.setDaemon(true);
            return t;
        });
    }
}
