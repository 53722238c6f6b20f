package org.openledger.studio.attribution.influence;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

/**
 * A built influence index of one adapter, opened read-only: every training row's projected loss gradient in
 * float16 shards (memory-mapped), the rows' names and texts, and the preconditioner. Every file is checked against
 * the checksums of the manifest when the index is opened, so a truncated or corrupted index is refused
 * ({@link CorruptIndexException}) rather than scored.
 *
 * <p>Layout of the folder: {@code manifest.json} (written last: an index without one is incomplete),
 * {@code rows.json}, {@code shard-NNNNN.f16} (header: magic, version, rows, k, CRC32C; then rows x k float16),
 * {@code preconditioner.f32} (header: magic, version, k, k, CRC32C; then H⁻¹ as k x k float32).
 */
public final class InfluenceIndex {

    static final String MANIFEST = "manifest.json";
    static final String ROWS = "rows.json";
    static final String PRECONDITIONER = "preconditioner.f32";

    /** What {@code manifest.json} records. */
    public record Manifest(int format, String adapter, String adapterSha256, String baseModel, int parameters,
                           int k, long projectionSeed, boolean identityProjection, int rows, List<Shard> shards,
                           String preconditioner, double damping, double lambda, long rowsCrc, double buildSeconds, long createdAt) {
    }

    /** One shard file: its name, its rows, and the index of its first row. */
    public record Shard(String file, int first, int rows) {
    }

    /** A row's score against a query. */
    public record Scored(int row, float score) {
    }

    private final Path dir;
    private final Manifest manifest;
    private final List<IndexedRow> rows;
    private final ShortBuffer[] shards;
    private final int[] firsts;
    private final Preconditioner preconditioner;
    private final long bytes;
    private final int[][] chunks;
    private volatile boolean decideDecode = true;
    private volatile float[][] decoded;

    private InfluenceIndex(Path dir, Manifest manifest, List<IndexedRow> rows, ShortBuffer[] shards, int[] firsts,
                           Preconditioner preconditioner, long bytes) {
        this.dir = dir;
        this.manifest = manifest;
        this.rows = rows;
        this.shards = shards;
        this.firsts = firsts;
        this.preconditioner = preconditioner;
        this.bytes = bytes;
        List<int[]> c = new ArrayList<>();
        for (int s = 0; s < shards.length; s++) {
            int n = manifest.shards().get(s).rows();
            for (int from = 0; from < n; from += CHUNK_ROWS) {
                c.add(new int[] {s, from, Math.min(n, from + CHUNK_ROWS)});
            }
        }
        this.chunks = c.toArray(new int[0][]);
    }

    /** Whether {@code dir} holds a finished index (it may still fail its checks on {@link #open}). */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    public static Manifest manifest(Path dir) throws IOException {
        if (!exists(dir)) {
            throw new CorruptIndexException("no finished index in " + dir);
        }
        try {
            return IndexFiles.JSON.readValue(dir.resolve(MANIFEST).toFile(), Manifest.class);
        } catch (IOException e) {
            throw new CorruptIndexException(dir.resolve(MANIFEST) + " cannot be read: " + e.getMessage());
        }
    }

    /** Opens and checks every file of the index. */
    public static InfluenceIndex open(Path dir) throws IOException {
        Manifest m = manifest(dir);
        byte[] rowBytes = Files.readAllBytes(dir.resolve(ROWS));
        if (IndexFiles.crc(rowBytes) != m.rowsCrc()) {
            throw new CorruptIndexException(ROWS + " fails its checksum (corrupted)");
        }
        List<IndexedRow> rows = IndexFiles.JSON.readValue(rowBytes, new TypeReference<List<IndexedRow>>() { });
        if (rows.size() != m.rows()) {
            throw new CorruptIndexException(ROWS + " holds " + rows.size() + " rows, the manifest " + m.rows());
        }
        long bytes = rowBytes.length;
        ShortBuffer[] shards = new ShortBuffer[m.shards().size()];
        int[] firsts = new int[shards.length];
        int expected = 0;
        for (int i = 0; i < shards.length; i++) {
            Shard s = m.shards().get(i);
            IndexFiles.Binary b = IndexFiles.readBinary(dir.resolve(s.file()), IndexFiles.SHARD_MAGIC, 2);
            if (b.a() != s.rows() || b.b() != m.k() || s.first() != expected) {
                throw new CorruptIndexException(s.file() + " does not hold the rows the manifest says");
            }
            shards[i] = b.payload().asShortBuffer();
            firsts[i] = s.first();
            expected += s.rows();
            bytes += Files.size(dir.resolve(s.file()));
        }
        if (expected != m.rows()) {
            throw new CorruptIndexException("the shards hold " + expected + " rows, the manifest " + m.rows());
        }
        Preconditioner p;
        Preconditioner.Kind kind = Preconditioner.Kind.valueOf(m.preconditioner());
        if (kind == Preconditioner.Kind.GRAM) {
            IndexFiles.Binary b = IndexFiles.readBinary(dir.resolve(PRECONDITIONER), IndexFiles.PRECONDITIONER_MAGIC,
                    4);
            if (b.a() != m.k() || b.b() != m.k()) {
                throw new CorruptIndexException(PRECONDITIONER + " is not k x k");
            }
            float[] inv = new float[m.k() * m.k()];
            b.payload().asFloatBuffer().get(inv);
            p = Preconditioner.of(kind, m.damping(), m.lambda(), m.k(), inv);
            bytes += Files.size(dir.resolve(PRECONDITIONER));
        } else {
            p = Preconditioner.identity(m.k());
        }
        return new InfluenceIndex(dir, m, List.copyOf(rows), shards, firsts, p, bytes);
    }

    public Path dir() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    public int rows() {
        return manifest.rows();
    }

    public int k() {
        return manifest.k();
    }

    public IndexedRow row(int i) {
        return rows.get(i);
    }

    public Preconditioner preconditioner() {
        return preconditioner;
    }

    /** Bytes of the index's files on disk. */
    public long bytes() {
        return bytes;
    }

    /** Row i's stored projected gradient. */
    public float[] gradient(int i) {
        int s = shardOf(i);
        int k = k();
        float[] out = new float[k];
        int base = (i - firsts[s]) * k;
        for (int j = 0; j < k; j++) {
            out[j] = Half.toFloat(shards[s].get(base + j));
        }
        return out;
    }

    private int shardOf(int row) {
        int lo = 0;
        int hi = firsts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firsts[mid] <= row) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * Every row's score against a projected query gradient: φ_rowᵀ · H⁻¹ · q with the index's preconditioner, or
     * the plain dot product (TracIn) when {@code precondition} is false.
     *
     * <p>The first call decodes the float16 shards into float32 arrays when they fit the decode budget
     * ({@link #decodeBudgetBytes}); scoring those is about twice as fast as decoding float16 on every query (the
     * files stay float16). Rows are scored in parallel chunks of {@value #CHUNK_ROWS} on the common pool.
     */
    public float[] scores(float[] query, boolean precondition) {
        float[] q = precondition ? preconditioner.apply(query) : query.clone();
        if (q.length != k()) {
            throw new IllegalArgumentException("a query of " + q.length + " dimensions, the index has " + k());
        }
        float[] out = new float[rows()];
        int k = k();
        float[][] f = decoded();
        IntStream.range(0, chunks.length).parallel().forEach(c -> {
            int s = chunks[c][0];
            int from = chunks[c][1];
            int to = chunks[c][2];
            if (f != null) {
                float[] v = f[s];
                for (int r = from; r < to; r++) {
                    out[firsts[s] + r] = dot(v, r * k, q, k);
                }
            } else {
                ShortBuffer buf = shards[s];
                short[] row = new short[k];
                for (int r = from; r < to; r++) {
                    buf.get(r * k, row);
                    out[firsts[s] + r] = dot(row, q, k);
                }
            }
        });
        return out;
    }

    /** Rows per parallel scoring task (a task stays within one shard). */
    static final int CHUNK_ROWS = 512;

    /** Overrides the decode budget, in MiB (0: never decode). */
    public static final String DECODE_BUDGET_PROPERTY = "studio.influence.decodeMiB";

    /**
     * How many bytes of float32 the shards may be decoded into: {@value #DECODE_BUDGET_PROPERTY} MiB when set,
     * else a quarter of the heap's maximum.
     */
    public static long decodeBudgetBytes() {
        String v = System.getProperty(DECODE_BUDGET_PROPERTY);
        if (v != null && !v.isBlank()) {
            return Long.parseLong(v.trim()) << 20;
        }
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** Whether queries score float32 copies of the shards (decided on the first query). */
    public boolean decodedInMemory() {
        return decoded() != null;
    }

    private float[][] decoded() {
        if (decideDecode) {
            synchronized (this) {
                if (decideDecode) {
                    long bytes = 4L * rows() * k();
                    if (bytes <= decodeBudgetBytes()) {
                        float[][] f = new float[shards.length][];
                        IntStream.range(0, shards.length).parallel().forEach(s -> {
                            ShortBuffer b = shards[s];
                            float[] v = new float[b.capacity()];
                            for (int i = 0; i < v.length; i++) {
                                v[i] = Half.toFloat(b.get(i));
                            }
                            f[s] = v;
                        });
                        decoded = f;
                    }
                    decideDecode = false;
                }
            }
        }
        return decoded;
    }

    private static float dot(float[] v, int base, float[] q, int k) {
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        float a4 = 0;
        float a5 = 0;
        float a6 = 0;
        float a7 = 0;
        int j = 0;
        for (; j + 7 < k; j += 8) {
            a0 += v[base + j] * q[j];
            a1 += v[base + j + 1] * q[j + 1];
            a2 += v[base + j + 2] * q[j + 2];
            a3 += v[base + j + 3] * q[j + 3];
            a4 += v[base + j + 4] * q[j + 4];
            a5 += v[base + j + 5] * q[j + 5];
            a6 += v[base + j + 6] * q[j + 6];
            a7 += v[base + j + 7] * q[j + 7];
        }
        for (; j < k; j++) {
            a0 += v[base + j] * q[j];
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    private static float dot(short[] h, float[] q, int k) {
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        float a4 = 0;
        float a5 = 0;
        float a6 = 0;
        float a7 = 0;
        int j = 0;
        for (; j + 7 < k; j += 8) {
            a0 += Half.toFloat(h[j]) * q[j];
            a1 += Half.toFloat(h[j + 1]) * q[j + 1];
            a2 += Half.toFloat(h[j + 2]) * q[j + 2];
            a3 += Half.toFloat(h[j + 3]) * q[j + 3];
            a4 += Half.toFloat(h[j + 4]) * q[j + 4];
            a5 += Half.toFloat(h[j + 5]) * q[j + 5];
            a6 += Half.toFloat(h[j + 6]) * q[j + 6];
            a7 += Half.toFloat(h[j + 7]) * q[j + 7];
        }
        for (; j < k; j++) {
            a0 += Half.toFloat(h[j]) * q[j];
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /** The {@code n} highest scores, highest first (ties by row). */
    public static List<Scored> top(float[] scores, int n) {
        PriorityQueue<Scored> heap = new PriorityQueue<>((a, b) -> a.score() != b.score()
                ? Float.compare(a.score(), b.score()) : Integer.compare(b.row(), a.row()));
        for (int i = 0; i < scores.length; i++) {
            if (heap.size() < n) {
                heap.add(new Scored(i, scores[i]));
            } else if (n > 0 && (scores[i] > heap.peek().score()
                    || scores[i] == heap.peek().score() && i < heap.peek().row())) {
                heap.poll();
                heap.add(new Scored(i, scores[i]));
            }
        }
        List<Scored> out = new ArrayList<>(heap);
        out.sort((a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score())
                : Integer.compare(a.row(), b.row()));
        return out;
    }
}
