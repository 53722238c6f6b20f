package org.openledger.studio.attribution.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.openledger.studio.gpu.model.EngineArrays;
import org.openledger.studio.store.CrashPoint;

/**
 * Builds an {@link InfluenceIndex}: every training row's loss gradient under the adapter, projected to k
 * dimensions, written in shards of {@link #SHARD_ROWS} rows as they are computed; then the preconditioner from
 * the stored gradients; then the manifest, last. A build that stops (cancelled, killed, out of disk) goes on from
 * its last complete shard when started again with the same spec and rows; anything else starts over.
 */
public final class InfluenceIndexBuilder {

    public static final int SHARD_ROWS = 2048;
    static final String BUILD = "build.json";
    private static final int MAX_BATCH_ROWS = 64;
    private static final int BATCH_TOKENS = 8192;

    /** What is being built; a stored build with another spec is not resumed. */
    public record Spec(String adapter, String adapterSha256, String baseModel, int k, long seed,
                       Preconditioner.Kind preconditioner, double damping) {
    }

    /** A build's progress: rows done of rows in total. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (done, total) -> { };

        void onProgress(int done, int total);
    }

    private record Build(Spec spec, int rows, long rowsCrc, int shardRows) {
    }

    private InfluenceIndexBuilder() {
    }

    /**
     * Builds (or resumes building) the index in {@code dir}.
     *
     * @param rows     the rows' names, one per example, in the same order
     * @param examples each row's tokens and the tokens its job learned
     * @throws CancellationException when {@code cancelled} turns true (the complete shards are kept)
     */
    public static InfluenceIndex build(Path dir, Spec spec, List<IndexedRow> rows, List<Example> examples,
                                       ExampleGradients gradients, NDManager parent, Listener listener,
                                       BooleanSupplier cancelled) throws IOException {
        return build(dir, spec, rows, examples, gradients, parent, listener, cancelled, SHARD_ROWS);
    }

    /** As {@link #build(Path, Spec, List, List, ExampleGradients, NDManager, Listener, BooleanSupplier)} with
     * {@code shardRows} rows per shard. */
    public static InfluenceIndex build(Path dir, Spec spec, List<IndexedRow> rows, List<Example> examples,
                                       ExampleGradients gradients, NDManager parent, Listener listener,
                                       BooleanSupplier cancelled, int shardRows) throws IOException {
        if (rows.size() != examples.size()) {
            throw new IllegalArgumentException(rows.size() + " rows but " + examples.size() + " examples");
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("an index needs at least one row");
        }
        long began = System.nanoTime();
        Files.createDirectories(dir);
        byte[] rowBytes = IndexFiles.JSON.writeValueAsBytes(rows);
        Build build = new Build(spec, rows.size(), IndexFiles.crc(rowBytes), shardRows);
        if (!build.equals(storedBuild(dir))) {
            clear(dir);
            IndexFiles.writeBytes(dir.resolve(InfluenceIndex.ROWS), rowBytes);
            IndexFiles.writeJson(dir.resolve(BUILD), build);
        }
        try (NDManager m = parent.newSubManager();
             GradientProjection projection = new GradientProjection(gradients.parameters(), spec.k(), spec.seed(), m)) {
            int k = projection.dimensions();
            List<InfluenceIndex.Shard> shards = new ArrayList<>();
            for (int first = 0, s = 0; first < rows.size(); first += shardRows, s++) {
                int count = Math.min(shardRows, rows.size() - first);
                InfluenceIndex.Shard shard = new InfluenceIndex.Shard(String.format("shard-%05d.f16", s), first, count);
                shards.add(shard);
                if (!complete(dir.resolve(shard.file()), count, k)) {
                    writeShard(dir.resolve(shard.file()), examples.subList(first, first + count), k, gradients,
                            projection, m, first, rows.size(), listener, cancelled);
                    CrashPoint.reach("index.shard"); // a complete shard, the index not yet finished
                }
                listener.onProgress(first + count, rows.size());
            }
            finish(dir, spec, gradients.parameters(), k, projection.identity(), rows.size(), shards, build.rowsCrc(),
                    began, m);
        }
        return InfluenceIndex.open(dir);
    }

    /** The preconditioner from the stored shards, then the manifest, last. */
    private static void finish(Path dir, Spec spec, int parameters, int k, boolean identity, int rows,
                               List<InfluenceIndex.Shard> shards, long rowsCrc, long began, NDManager m)
            throws IOException {
        Preconditioner p = spec.preconditioner() == Preconditioner.Kind.GRAM
                ? Preconditioner.gram(gram(dir, shards, k, m), rows, k, spec.damping())
                : Preconditioner.identity(k);
        if (p.kind() == Preconditioner.Kind.GRAM) {
            ByteBuffer b = ByteBuffer.allocate(k * k * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(p.inverse());
            IndexFiles.writeBinary(dir.resolve(InfluenceIndex.PRECONDITIONER), IndexFiles.PRECONDITIONER_MAGIC,
                    k, k, b);
        }
        InfluenceIndex.Manifest manifest = new InfluenceIndex.Manifest(1, spec.adapter(), spec.adapterSha256(),
                spec.baseModel(), parameters, k, spec.seed(), identity, rows, List.copyOf(shards), p.kind().name(),
                p.damping(), p.lambda(), rowsCrc, (System.nanoTime() - began) / 1e9,
                System.currentTimeMillis() / 1000);
        IndexFiles.writeJson(dir.resolve(InfluenceIndex.MANIFEST), manifest);
        Files.deleteIfExists(dir.resolve(BUILD));
    }

    /** Row {@code row}'s projected gradient, of k values. */
    @FunctionalInterface
    public interface Vectors {
        float[] vector(int row);
    }

    /**
     * Writes an index in the built format from projected vectors that are given rather than computed (benchmarks,
     * and gradients computed elsewhere): the same shards, preconditioner and manifest {@link #build} writes, so
     * {@link InfluenceIndex#open} reads it as any other. Whatever {@code dir} held is replaced.
     *
     * @param parameters the LoRA parameters the vectors were projected from (recorded in the manifest)
     */
    public static InfluenceIndex fromVectors(Path dir, Spec spec, int parameters, List<IndexedRow> rows,
                                             Vectors vectors, NDManager parent, int shardRows) throws IOException {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("an index needs at least one row");
        }
        int k = Math.min(spec.k(), parameters);
        long began = System.nanoTime();
        Files.createDirectories(dir);
        clear(dir);
        byte[] rowBytes = IndexFiles.JSON.writeValueAsBytes(rows);
        IndexFiles.writeBytes(dir.resolve(InfluenceIndex.ROWS), rowBytes);
        List<InfluenceIndex.Shard> shards = new ArrayList<>();
        for (int first = 0, s = 0; first < rows.size(); first += shardRows, s++) {
            int count = Math.min(shardRows, rows.size() - first);
            InfluenceIndex.Shard shard = new InfluenceIndex.Shard(String.format("shard-%05d.f16", s), first, count);
            shards.add(shard);
            ByteBuffer payload = ByteBuffer.allocate(count * k * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < count; r++) {
                float[] v = vectors.vector(first + r);
                if (v.length != k) {
                    throw new IllegalArgumentException("row " + (first + r) + " has " + v.length + " values, not " + k);
                }
                for (int j = 0; j < k; j++) {
                    payload.putShort((r * k + j) * 2, Half.fromFloat(v[j]));
                }
            }
            IndexFiles.writeBinary(dir.resolve(shard.file()), IndexFiles.SHARD_MAGIC, count, k, payload.clear());
        }
        try (NDManager m = parent.newSubManager()) {
            finish(dir, spec, parameters, k, k >= parameters, rows.size(), shards, IndexFiles.crc(rowBytes), began, m);
        }
        return InfluenceIndex.open(dir);
    }

    private static Build storedBuild(Path dir) {
        try {
            return Files.isRegularFile(dir.resolve(BUILD))
                    ? IndexFiles.JSON.readValue(dir.resolve(BUILD).toFile(), Build.class) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.delete(f);
                }
            }
        }
    }

    private static boolean complete(Path shard, int rows, int k) {
        try {
            IndexFiles.Binary b = IndexFiles.readBinary(shard, IndexFiles.SHARD_MAGIC, 2);
            return b.a() == rows && b.b() == k;
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeShard(Path file, List<Example> examples, int k, ExampleGradients gradients,
                                   GradientProjection projection, NDManager m, int first, int total,
                                   Listener listener, BooleanSupplier cancelled) throws IOException {
        ByteBuffer payload = ByteBuffer.allocate(examples.size() * k * 2).order(ByteOrder.LITTLE_ENDIAN);
        Integer[] order = new Integer[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // similar lengths together, so little of each batch is padding
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> examples.get(i).length()));
        int done = 0;
        for (int from = 0; from < order.length; ) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("index build cancelled");
            }
            int to = from;
            int longest = 1;
            while (to < order.length && to - from < MAX_BATCH_ROWS) {
                int len = Math.max(longest, examples.get(order[to]).length());
                if (to > from && (long) len * (to - from + 1) > BATCH_TOKENS) {
                    break;
                }
                longest = len;
                to++;
            }
            List<Example> batch = new ArrayList<>();
            for (int i = from; i < to; i++) {
                batch.add(examples.get(order[i]));
            }
            float[] projected = project(batch, gradients, projection, m);
            for (int i = from; i < to; i++) {
                int at = order[i] * k * 2;
                for (int j = 0; j < k; j++) {
                    payload.putShort(at + 2 * j, Half.fromFloat(projected[(i - from) * k + j]));
                }
            }
            done += to - from;
            listener.onProgress(first + done, total);
            from = to;
        }
        IndexFiles.writeBinary(file, IndexFiles.SHARD_MAGIC, examples.size(), k, payload.clear());
    }

    /** Projected gradients of a batch, row-major [batch, k] on the host. */
    static float[] project(List<Example> batch, ExampleGradients gradients, GradientProjection projection,
                           NDManager m) {
        try (NDManager scope = m.newSubManager()) {
            NDArray g = gradients.gradients(scope, batch);
            return projection.apply(g).toFloatArray();
        }
    }

    /** Σ φ φᵀ over the stored (float16) gradients, as they will be scored. */
    private static double[] gram(Path dir, List<InfluenceIndex.Shard> shards, int k, NDManager m) throws IOException {
        double[] sum = new double[k * k];
        for (InfluenceIndex.Shard s : shards) {
            IndexFiles.Binary b = IndexFiles.readBinary(dir.resolve(s.file()), IndexFiles.SHARD_MAGIC, 2);
            float[] values = new float[s.rows() * k];
            var shorts = b.payload().asShortBuffer();
            for (int i = 0; i < values.length; i++) {
                values[i] = Half.toFloat(shorts.get(i));
            }
            try (NDManager scope = m.newSubManager()) {
                NDArray phi = EngineArrays.owned(scope, values, new Shape(s.rows(), k));
                float[] g = phi.transpose().matMul(phi).toFloatArray();
                for (int i = 0; i < g.length; i++) {
                    sum[i] += g[i];
                }
            }
        }
        return sum;
    }
}
