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

    private InfluenceIndex(Path dir, Manifest manifest, List<IndexedRow> rows, ShortBuffer[] shards, int[] firsts,
                           Preconditioner preconditioner, long bytes) {
        this.dir = dir;
        this.manifest = manifest;
        this.rows = rows;
        this.shards = shards;
        this.firsts = firsts;
        this.preconditioner = preconditioner;
        this.bytes = bytes;
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
     */
    public float[] scores(float[] query, boolean precondition) {
        float[] q = precondition ? preconditioner.apply(query) : query.clone();
        if (q.length != k()) {
            throw new IllegalArgumentException("a query of " + q.length + " dimensions, the index has " + k());
        }
        float[] out = new float[rows()];
        int k = k();
        int chunk = 1024;
        int chunks = (rows() + chunk - 1) / chunk;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = c * chunk;
            int to = Math.min(rows(), from + chunk);
            for (int row = from; row < to; row++) {
                int s = shardOf(row);
                ShortBuffer buf = shards[s];
                int base = (row - firsts[s]) * k;
                float acc0 = 0;
                float acc1 = 0;
                float acc2 = 0;
                float acc3 = 0;
                int j = 0;
                for (; j + 3 < k; j += 4) {
                    acc0 += Half.toFloat(buf.get(base + j)) * q[j];
                    acc1 += Half.toFloat(buf.get(base + j + 1)) * q[j + 1];
                    acc2 += Half.toFloat(buf.get(base + j + 2)) * q[j + 2];
                    acc3 += Half.toFloat(buf.get(base + j + 3)) * q[j + 3];
                }
                for (; j < k; j++) {
                    acc0 += Half.toFloat(buf.get(base + j)) * q[j];
                }
                out[row] = acc0 + acc1 + acc2 + acc3;
            }
        });
        return out;
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
