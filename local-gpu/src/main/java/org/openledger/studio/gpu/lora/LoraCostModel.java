package org.openledger.studio.gpu.lora;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * What one step's LoRA term costs on each path, as a linear model in a few counts of the work, fitted from
 * {@code studio bench lora-paths} (microseconds). The counts, summed over the (layer, projection) sites that any
 * row of the step adapts, with T the step's tokens (rows x positions each), {@code io} = in + out of the site:
 * <ul>
 * <li>shared: {@code sites}, {@code T·r·io};</li>
 * <li>gathered (BGMV): {@code sites}, {@code T·R·io} (R the largest rank at the site: base rows and smaller ranks
 * are padded to it), {@code rows·R·io} (each row reads its own stacked factors);</li>
 * <li>segmented (SGMV): {@code sites}, {@code groups} (one gather and two matmuls per adapter), {@code Σ T_g·r_g·io},
 * {@code T·io} (gathering the rows of each group and putting the results back in row order).</li>
 * </ul>
 * {@link #passMicros} is what one more forward pass costs per layer (a pass of one row: the per-operation
 * overhead and one read of the layer's weights), used to decide whether the rows of a merged adapter run as a
 * pass of their own.
 */
public final class LoraCostModel {

    /** The ways a step's LoRA term is computed. */
    public enum Path { SHARED, GATHERED, SEGMENTED }

    /** Feature names of each path, in coefficient order. */
    public static final Map<Path, List<String>> FEATURES = Map.of(
            Path.SHARED, List.of("sites", "work"),
            Path.GATHERED, List.of("sites", "padded_work", "stack_reads"),
            Path.SEGMENTED, List.of("sites", "groups", "group_work", "copies"));

    /**
     * The counts of one step (or one bench cell); the work counts are multiply-adds and floats moved, in
     * millions.
     */
    public record Work(double sites, double sharedWork, double paddedWork, double stackReads, double groups,
                       double groupWork, double copies) {

        public Work plus(Work o) {
            return new Work(sites + o.sites, sharedWork + o.sharedWork, paddedWork + o.paddedWork,
                    stackReads + o.stackReads, groups + o.groups, groupWork + o.groupWork, copies + o.copies);
        }

        double[] features(Path p) {
            return switch (p) {
                case SHARED -> new double[] {sites, sharedWork};
                case GATHERED -> new double[] {sites, paddedWork, stackReads};
                case SEGMENTED -> new double[] {sites, groups, groupWork, copies};
            };
        }
    }

    /** One timed cell of the bench: its counts, the path and what a call took. */
    public record Sample(Path path, Work work, double micros) {
    }

    /**
     * Fitted on the development machine (AMD EPYC, 2 cores shared with other builds, PyTorch CPU with one
     * thread, float32, thread CPU time) by {@code studio bench lora-paths --clock cpu} on 2026-12-03; see
     * docs/BENCHMARKS.md. Override with {@link #read(java.nio.file.Path)}.
     */
    private static final String CPU_DEFAULTS = """
            shared=11.39,37.12
            gathered=12.36,63.96,66.94
            segmented=0.000,25.09,33.02,1339
            pass_micros=866.2,647.4
            """;

    private final Map<Path, double[]> coefficients;
    /** Per layer: fixed micros and micros per million weight elements of the layer. */
    private final double[] pass;

    public LoraCostModel(Map<Path, double[]> coefficients, double[] pass) {
        EnumMap<Path, double[]> c = new EnumMap<>(Path.class);
        for (Path p : Path.values()) {
            double[] v = coefficients.get(p);
            if (v == null || v.length != FEATURES.get(p).size()) {
                throw new IllegalArgumentException("the cost model of the " + p.name().toLowerCase(Locale.ROOT)
                        + " path needs " + FEATURES.get(p).size() + " coefficients (" + FEATURES.get(p) + ")");
            }
            for (double x : v) {
                if (!Double.isFinite(x) || x < 0) {
                    throw new IllegalArgumentException("cost coefficients must be finite and not negative, got "
                            + Arrays.toString(v) + " for " + p.name().toLowerCase(Locale.ROOT));
                }
            }
            c.put(p, v.clone());
        }
        if (pass.length != 2 || !(pass[0] >= 0) || !(pass[1] >= 0) || Double.isInfinite(pass[0] + pass[1])) {
            throw new IllegalArgumentException("pass_micros needs two finite coefficients, not negative");
        }
        this.coefficients = c;
        this.pass = pass.clone();
    }

    /** The model measured on the development CPU. */
    public static LoraCostModel cpuDefaults() {
        try {
            return parse(new java.io.StringReader(CPU_DEFAULTS), "the built-in CPU defaults");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a model written by {@link #write} ({@code studio bench lora-paths --write-model FILE}). */
    public static LoraCostModel read(java.nio.file.Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        }
    }

    private static LoraCostModel parse(Reader in, String where) throws IOException {
        Properties props = new Properties();
        props.load(in);
        Map<Path, double[]> c = new EnumMap<>(Path.class);
        for (Path p : Path.values()) {
            c.put(p, numbers(props, p.name().toLowerCase(Locale.ROOT), where));
        }
        try {
            return new LoraCostModel(c, numbers(props, "pass_micros", where));
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static double[] numbers(Properties props, String key, String where) throws IOException {
        String v = props.getProperty(key);
        if (v == null) {
            throw new IOException(where + " has no '" + key + "' line (a LoRA cost model names shared, gathered, "
                    + "segmented and pass_micros)");
        }
        String[] parts = v.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IOException(where + ": '" + key + "' holds '" + parts[i].trim() + "', not a number");
            }
        }
        return out;
    }

    public void write(java.nio.file.Path file, String comment) throws IOException {
        StringBuilder b = new StringBuilder("# LoRA path cost model (microseconds); ").append(comment).append('\n');
        for (Path p : Path.values()) {
            b.append("# ").append(p.name().toLowerCase(Locale.ROOT)).append(": ").append(FEATURES.get(p)).append('\n');
        }
        for (Path p : Path.values()) {
            b.append(p.name().toLowerCase(Locale.ROOT)).append('=').append(join(coefficients.get(p))).append('\n');
        }
        b.append("pass_micros=").append(join(pass)).append('\n');
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    private static String join(double[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        return b.toString();
    }

    public double[] coefficients(Path p) {
        return coefficients.get(p).clone();
    }

    /** Predicted micros of a path for this work. */
    public double cost(Path p, Work w) {
        double[] f = w.features(p);
        double[] k = coefficients.get(p);
        double sum = 0;
        for (int i = 0; i < f.length; i++) {
            sum += f[i] * k[i];
        }
        return sum;
    }

    /** Predicted micros of one more forward pass of a model with these layers of this many weight elements. */
    public double passCost(int layers, long layerWeights) {
        return layers * (pass[0] + pass[1] * layerWeights / 1e6);
    }

    /** The cheapest of the allowed paths for this work (ties go to the earlier path: shared, gathered, segmented). */
    public Path choose(Work w, Set<Path> allowed) {
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("no LoRA path is allowed");
        }
        Path best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (Path p : Path.values()) {
            if (allowed.contains(p)) {
                double c = cost(p, w);
                if (best == null || c < bestCost) {
                    best = p;
                    bestCost = c;
                }
            }
        }
        return best;
    }

    /**
     * Least squares per path over the samples, with no coefficient below zero (a feature whose coefficient comes
     * out negative is dropped and the rest refitted), and the pass coefficients as given.
     */
    public static LoraCostModel fit(List<Sample> samples, double[] pass) {
        Map<Path, double[]> c = new EnumMap<>(Path.class);
        for (Path p : Path.values()) {
            List<double[]> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Sample s : samples) {
                if (s.path() == p) {
                    xs.add(s.work().features(p));
                    ys.add(s.micros());
                }
            }
            c.put(p, nonNegativeLeastSquares(xs, ys, FEATURES.get(p).size()));
        }
        return new LoraCostModel(c, pass);
    }

    /** Fits y ≈ x·k with k ≥ 0 by dropping the most negative coefficient until none is left; relative errors. */
    static double[] nonNegativeLeastSquares(List<double[]> xs, List<Double> ys, int n) {
        boolean[] active = new boolean[n];
        Arrays.fill(active, true);
        while (true) {
            double[] k = leastSquares(xs, ys, active);
            int worst = -1;
            for (int i = 0; i < n; i++) {
                if (active[i] && k[i] < 0 && (worst < 0 || k[i] < k[worst])) {
                    worst = i;
                }
            }
            if (worst < 0) {
                return k;
            }
            active[worst] = false;
        }
    }

    /**
     * Weighted least squares (each sample weighted by 1/y², so a 10 µs cell counts as much as a 10 ms one) over
     * the active features, by the normal equations; inactive coefficients are 0.
     */
    private static double[] leastSquares(List<double[]> xs, List<Double> ys, boolean[] active) {
        int n = active.length;
        double[][] a = new double[n][n + 1];
        for (int s = 0; s < xs.size(); s++) {
            double[] x = xs.get(s);
            double y = ys.get(s);
            double w = 1 / Math.max(1e-9, y * y);
            for (int i = 0; i < n; i++) {
                if (!active[i]) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    if (active[j]) {
                        a[i][j] += w * x[i] * x[j];
                    }
                }
                a[i][n] += w * x[i] * y;
            }
        }
        for (int i = 0; i < n; i++) {
            if (!active[i] || a[i][i] == 0) {
                Arrays.fill(a[i], 0);
                a[i][i] = 1; // an unused or all-zero feature: coefficient 0
                for (int r = 0; r < n; r++) {
                    if (r != i) {
                        a[r][i] = 0;
                    }
                }
            }
        }
        // Gaussian elimination with partial pivoting
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            if (Math.abs(a[col][col]) < 1e-300) {
                continue;
            }
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int k = col; k <= n; k++) {
                        a[r][k] -= f * a[col][k];
                    }
                }
            }
        }
        double[] k = new double[n];
        for (int i = 0; i < n; i++) {
            k[i] = Math.abs(a[i][i]) < 1e-300 ? 0 : a[i][n] / a[i][i];
        }
        return k;
    }
}
