package org.openledger.studio.attribution.influence;

/**
 * The inverse curvature that turns a dot product of projected gradients into an influence score,
 * score(z_train, z_test) = φ_testᵀ · H⁻¹ · φ_train.
 *
 * <ul>
 *   <li>{@link Kind#IDENTITY}: H = I, plain TracIn with one checkpoint (Pruthi et al. 2020).</li>
 *   <li>{@link Kind#GRAM}: H = ΦᵀΦ/n + λI over the training rows' projected gradients Φ (n x k), the
 *       Gauss-Newton approximation TRAK (Park et al. 2023) and LoGra (Choe et al. 2024) use. λ is
 *       {@code damping} times the mean eigenvalue tr(ΦᵀΦ/n)/k, so one damping setting fits models of every scale;
 *       the damping is chosen by the linear datamodeling score (decision 0013).</li>
 * </ul>
 * H⁻¹ is held explicitly (k x k), computed by a Cholesky factorisation in double precision.
 */
public final class Preconditioner {

    public enum Kind { IDENTITY, GRAM }

    public static final double DEFAULT_DAMPING = 1.0;

    private final Kind kind;
    private final double damping;
    private final double lambda;
    private final int k;
    private final float[] inverse; // k x k row-major, null for the identity

    private Preconditioner(Kind kind, double damping, double lambda, int k, float[] inverse) {
        this.kind = kind;
        this.damping = damping;
        this.lambda = lambda;
        this.k = k;
        this.inverse = inverse;
    }

    public static Preconditioner identity(int k) {
        return new Preconditioner(Kind.IDENTITY, 0, 0, k, null);
    }

    /** Restores a stored one. */
    public static Preconditioner of(Kind kind, double damping, double lambda, int k, float[] inverse) {
        if (kind == Kind.GRAM && (inverse == null || inverse.length != (long) k * k)) {
            throw new IllegalArgumentException("a Gram preconditioner of k = " + k + " needs k*k values");
        }
        return new Preconditioner(kind, damping, lambda, k, kind == Kind.GRAM ? inverse : null);
    }

    /**
     * From the summed outer products G = Σ_i φ_i φ_iᵀ of n rows (k x k, row-major, double).
     *
     * @throws IllegalArgumentException when damping is not positive or there are no rows
     */
    public static Preconditioner gram(double[] sum, long n, int k, double damping) {
        if (!(damping > 0) || n < 1) {
            throw new IllegalArgumentException("a Gram preconditioner needs damping > 0 and rows, got " + damping
                    + " and " + n);
        }
        double[] h = new double[k * k];
        double trace = 0;
        for (int i = 0; i < k; i++) {
            trace += sum[i * k + i] / n;
        }
        double lambda = damping * Math.max(trace / k, 1e-30);
        for (int i = 0; i < k * k; i++) {
            h[i] = sum[i] / n;
        }
        for (int i = 0; i < k; i++) {
            h[i * k + i] += lambda;
        }
        return new Preconditioner(Kind.GRAM, damping, lambda, k, invertSpd(h, k));
    }

    /** The inverse of a symmetric positive definite matrix by Cholesky, H = LLᵀ, H⁻¹ = L⁻ᵀL⁻¹. */
    static float[] invertSpd(double[] h, int k) {
        double[] l = new double[k * k];
        for (int j = 0; j < k; j++) {
            double d = h[j * k + j];
            for (int p = 0; p < j; p++) {
                d -= l[j * k + p] * l[j * k + p];
            }
            if (!(d > 0)) {
                throw new IllegalArgumentException("the damped Gram matrix is not positive definite at " + j);
            }
            double ljj = Math.sqrt(d);
            l[j * k + j] = ljj;
            for (int i = j + 1; i < k; i++) {
                double s = h[i * k + j];
                for (int p = 0; p < j; p++) {
                    s -= l[i * k + p] * l[j * k + p];
                }
                l[i * k + j] = s / ljj;
            }
        }
        // columns of L⁻¹ by forward substitution, then H⁻¹ = (L⁻¹)ᵀ L⁻¹
        double[] inv = new double[k * k]; // inv[i*k+j] = (L⁻¹)_ij, lower triangular
        for (int c = 0; c < k; c++) {
            for (int i = c; i < k; i++) {
                double s = i == c ? 1 : 0;
                for (int p = c; p < i; p++) {
                    s -= l[i * k + p] * inv[p * k + c];
                }
                inv[i * k + c] = s / l[i * k + i];
            }
        }
        float[] out = new float[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                double s = 0;
                for (int p = Math.max(i, j); p < k; p++) {
                    s += inv[p * k + i] * inv[p * k + j];
                }
                out[i * k + j] = (float) s;
                out[j * k + i] = (float) s;
            }
        }
        return out;
    }

    /** H⁻¹ · q. */
    public float[] apply(float[] q) {
        if (q.length != k) {
            throw new IllegalArgumentException("a query of " + q.length + " dimensions, the index has " + k);
        }
        if (inverse == null) {
            return q.clone();
        }
        float[] out = new float[k];
        for (int i = 0; i < k; i++) {
            double s = 0;
            int row = i * k;
            for (int j = 0; j < k; j++) {
                s += inverse[row + j] * q[j];
            }
            out[i] = (float) s;
        }
        return out;
    }

    public Kind kind() {
        return kind;
    }

    public double damping() {
        return damping;
    }

    public double lambda() {
        return lambda;
    }

    public int dimensions() {
        return k;
    }

    /** H⁻¹ row-major, or null for the identity. */
    float[] inverse() {
        return inverse;
    }
}
