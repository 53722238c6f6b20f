package org.openledger.studio.gpu.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.WeightDelta;

/**
 * Unmerged LoRA for a batch whose rows may each use a different adapter (or none), in one of three ways:
 * <ul>
 * <li><b>shared</b>: every row uses the same adapter: {@code x·Aᵀ·(s·Bᵀ)} with the adapter's own factors;</li>
 * <li><b>gathered</b> (Punica's BGMV, {@code y[i] += x[i]·A[i]·B[i]}): each row's factors are stacked into
 * [rows, in, r] and [rows, r, out], zero-padded to the largest rank and zero for rows without an adapter, and
 * applied with two batched matmuls;</li>
 * <li><b>segmented</b> (SGMV): rows are grouped by adapter, each group gets two plain matmuls, and the results
 * are put back in row order.</li>
 * </ul>
 * With {@link Strategy#AUTO} the path of each step is the cheapest by a {@link LoraCostModel} for the step's
 * shape (rows, positions per row, distinct adapters, ranks, projection sizes); gathered is only allowed while its
 * stacks stay within {@link #STACK_BUDGET_BYTES}. A path's arrays are built the first time a step takes it and
 * kept for the batch's life (its rows are fixed). Rows without an adapter get exact zeros added, so they see
 * exactly the base model.
 */
public final class AdapterBatch implements WeightDelta, AutoCloseable {

    static final List<Projection> QKV = List.of(Projection.Q, Projection.K, Projection.V);
    static final List<Projection> GATE_UP = List.of(Projection.GATE, Projection.UP);

    /** Largest stack memory for the gathered path. */
    public static final long STACK_BUDGET_BYTES = 64L << 20;

    /** AUTO: by the cost model; the others force that path wherever it applies (shared: one adapter for all). */
    public enum Strategy { AUTO, SHARED, GATHERED, SEGMENTED }

    private record Stack(NDArray down, NDArray up) {
    }

    private final NDManager manager;
    private final ModelConfig config;
    private final List<AdapterWeights> rows;
    private final Strategy strategy;
    private final LoraCostModel costs;
    private final Map<Long, Stack> stacks = new HashMap<>();
    /** Per (layer, first projection of a group): the group's factors, stacked per row or the shared adapter's. */
    private final Map<Long, Stack> groupStacks = new HashMap<>();
    private final Map<Long, Stack> sharedGroups = new HashMap<>();
    /** Whether q/k/v and gate/up take one pair of matmuls per group (see {@link #applyGroup}). */
    private final boolean groupParts;
    private boolean gathered;
    private final AdapterWeights shared;
    private final boolean anyAdapter;
    /** Segmented: distinct adapters, the batch rows of each, and the permutation that restores row order. */
    private final List<AdapterWeights> groups = new ArrayList<>();
    private final List<NDArray> groupRows = new ArrayList<>();
    private NDArray restoreOrder;
    private int baseRows;
    private boolean segmented;
    /** The step's counts with one position per row, scaled by positions for wider steps. */
    private final LoraCostModel.Work perPosition;
    private final Map<Long, LoraCostModel.Path> chosen = new HashMap<>();

    public AdapterBatch(NDManager parent, ModelConfig config, List<AdapterWeights> rows) {
        this(parent, config, rows, Strategy.AUTO);
    }

    public AdapterBatch(NDManager parent, ModelConfig config, List<AdapterWeights> rows, Strategy strategy) {
        this(parent, config, rows, strategy, LoraCostModel.cpuDefaults());
    }

    /** @param rows one entry per batch row; null where a row uses the base model */
    public AdapterBatch(NDManager parent, ModelConfig config, List<AdapterWeights> rows, Strategy strategy,
                        LoraCostModel costs) {
        this.manager = parent.newSubManager();
        this.config = config;
        this.rows = new ArrayList<>(rows);
        this.strategy = strategy;
        this.costs = costs;
        AdapterWeights first = rows.get(0);
        boolean same = first != null && rows.stream().allMatch(a -> a == first);
        this.shared = same ? first : null;
        this.anyAdapter = rows.stream().anyMatch(a -> a != null);
        this.perPosition = work(config, this.rows);
        this.groupParts = !manager.getDevice().isGpu();
    }

    /** The paths this batch may take: shared only when every row has the same adapter. */
    public java.util.Set<LoraCostModel.Path> allowed() {
        java.util.EnumSet<LoraCostModel.Path> out = java.util.EnumSet.of(LoraCostModel.Path.SEGMENTED);
        if (shared != null) {
            out.add(LoraCostModel.Path.SHARED);
        }
        if (stackBytes(config, rows) <= STACK_BUDGET_BYTES) {
            out.add(LoraCostModel.Path.GATHERED);
        }
        return out;
    }

    /** The counts of a step in which every row feeds {@code positions} tokens. */
    public LoraCostModel.Work work(int positions) {
        LoraCostModel.Work w = perPosition;
        return new LoraCostModel.Work(w.sites(), w.sharedWork() * positions, w.paddedWork() * positions,
                w.stackReads(), w.groups(), w.groupWork() * positions, w.copies() * positions);
    }

    /** The path a step with {@code positions} tokens per row takes; null when no row has an adapter. */
    public LoraCostModel.Path path(long positions) {
        if (!anyAdapter) {
            return null;
        }
        return chosen.computeIfAbsent(positions, n -> switch (strategy) {
            case SHARED -> shared != null ? LoraCostModel.Path.SHARED
                    : costs.choose(work(n.intValue()), allowed());
            case GATHERED -> LoraCostModel.Path.GATHERED;
            case SEGMENTED -> LoraCostModel.Path.SEGMENTED;
            case AUTO -> costs.choose(work(n.intValue()), allowed());
        });
    }

    /** What the cost model predicts for the LoRA term of a step with {@code positions} tokens per row (µs). */
    public double predictedMicros(long positions) {
        LoraCostModel.Path p = path(positions);
        return p == null ? 0 : costs.cost(p, work((int) positions));
    }

    /** Sums the counts of {@link LoraCostModel.Work} over the sites any row adapts, for one position per row. */
    static LoraCostModel.Work work(ModelConfig c, List<AdapterWeights> rows) {
        double sites = 0;
        double sharedWork = 0;
        double padded = 0;
        double groupCalls = 0;
        double groupWork = 0;
        double copies = 0;
        Map<AdapterWeights, Integer> count = new LinkedHashMap<>();
        for (AdapterWeights a : rows) {
            if (a != null) {
                count.merge(a, 1, Integer::sum);
            }
        }
        for (int l = 0; l < c.numLayers(); l++) {
            for (Projection p : Projection.values()) {
                long[] w = p.weightShape(c);
                double io = (w[0] + w[1]) / 1e6;
                long maxRank = 0;
                double sumRank = 0;
                for (Map.Entry<AdapterWeights, Integer> e : count.entrySet()) {
                    AdapterWeights.Pair pair = e.getKey().pair(l, p);
                    if (pair != null) {
                        long r = pair.down().getShape().get(1);
                        maxRank = Math.max(maxRank, r);
                        sumRank += r * e.getValue();
                    }
                }
                if (maxRank == 0) {
                    continue;
                }
                sites++;
                sharedWork += sumRank * io;
                padded += (double) rows.size() * maxRank * io;
                groupCalls += count.size();
                groupWork += sumRank * io;
                copies += rows.size() * io;
            }
        }
        return new LoraCostModel.Work(sites, sharedWork, padded, padded, groupCalls, groupWork, copies);
    }

    /** The stacks' bytes: a pair per projection and, for q/k/v and gate/up, their block form (see {@link #applyGroup}). */
    private static long stackBytes(ModelConfig c, List<AdapterWeights> rows) {
        long maxRank = 0;
        for (AdapterWeights a : rows) {
            if (a != null) {
                maxRank = Math.max(maxRank, a.adapter().config().r());
            }
        }
        long perLayer = 0;
        for (Projection p : Projection.values()) {
            long[] w = p.weightShape(c);
            perLayer += (w[0] + w[1]) * maxRank;
        }
        for (List<Projection> group : List.of(QKV, GATE_UP)) {
            long in = group.get(0).weightShape(c)[1];
            long out = group.stream().mapToLong(p -> p.weightShape(c)[0]).sum();
            perLayer += group.size() * maxRank * (in + out);
        }
        return perLayer * c.numLayers() * rows.size() * 4;
    }

    private void gather() {
        gathered = true;
        for (int l = 0; l < config.numLayers(); l++) {
            for (Projection p : Projection.values()) {
                long rank = 0;
                for (AdapterWeights a : rows) {
                    AdapterWeights.Pair pair = a == null ? null : a.pair(l, p);
                    if (pair != null) {
                        rank = Math.max(rank, pair.down().getShape().get(1));
                    }
                }
                if (rank == 0) {
                    continue;
                }
                long[] w = p.weightShape(config);
                NDList downs = new NDList();
                NDList ups = new NDList();
                for (AdapterWeights a : rows) {
                    AdapterWeights.Pair pair = a == null ? null : a.pair(l, p);
                    downs.add(padded(pair == null ? null : pair.down(), w[1], rank, 1));
                    ups.add(padded(pair == null ? null : pair.up(), rank, w[0], 0));
                }
                NDArray down = NDArrays.stack(downs);
                NDArray up = NDArrays.stack(ups);
                down.attach(manager);
                up.attach(manager);
                stacks.put(key(l, p), new Stack(down, up));
            }
        }
    }

    private void segment() {
        segmented = true;
        Map<AdapterWeights, List<Long>> byAdapter = new LinkedHashMap<>();
        List<Long> plain = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            AdapterWeights a = rows.get(r);
            if (a == null) {
                plain.add((long) r);
            } else {
                byAdapter.computeIfAbsent(a, x -> new ArrayList<>()).add((long) r);
            }
        }
        long[] order = new long[rows.size()]; // position in the concatenated output -> row
        int at = 0;
        for (Map.Entry<AdapterWeights, List<Long>> e : byAdapter.entrySet()) {
            groups.add(e.getKey());
            groupRows.add(manager.create(e.getValue().stream().mapToLong(Long::longValue).toArray()));
            for (long r : e.getValue()) {
                order[at++] = r;
            }
        }
        for (long r : plain) {
            order[at++] = r;
        }
        baseRows = plain.size();
        long[] inverse = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[(int) order[i]] = i;
        }
        restoreOrder = manager.create(inverse);
    }

    /** The factor zero-padded along {@code axis} to {@code rank}, or zeros; created in this batch's manager. */
    private NDArray padded(NDArray factor, long rows, long cols, int axis) {
        if (factor == null) {
            return manager.zeros(new Shape(rows, cols));
        }
        long have = factor.getShape().get(axis);
        long want = axis == 1 ? cols : rows;
        if (have == want) {
            return factor;
        }
        Shape pad = axis == 1 ? new Shape(rows, want - have) : new Shape(want - have, cols);
        NDArray out = factor.concat(manager.zeros(pad), axis);
        out.attach(manager);
        return out;
    }

    private static long key(int layer, Projection p) {
        return (long) layer * Projection.values().length + p.ordinal();
    }

    @Override
    public NDArray apply(int layer, Projection projection, NDArray x) {
        LoraCostModel.Path path = path(x.getShape().get(1));
        if (path == null) {
            return null;
        }
        switch (path) {
            case SHARED -> {
                AdapterWeights.Pair pair = shared.pair(layer, projection);
                return pair == null ? null : x.matMul(pair.down()).matMul(pair.up());
            }
            case SEGMENTED -> {
                if (!segmented) {
                    segment();
                }
                return segmented(layer, projection, x);
            }
            default -> {
                if (!gathered) {
                    gather();
                }
                Stack s = stacks.get(key(layer, projection));
                return s == null ? null : x.matMul(s.down()).matMul(s.up());
            }
        }
    }

    /**
     * The term of a group of projections that read the same x (q/k/v, gate/up) on the CPU as one pair of matmuls:
     * x · [A_q | A_k | A_v] gives every part's rank-space at once, and a block-diagonal up factor (each part's
     * s·Bᵀ in its own rows and output columns, zeros elsewhere) maps it to the stacked outputs. On the CPU a
     * batched matmul costs mostly per row and per call, so one pair for the group is about a third of three
     * pairs, and the transformer adds one term to the stacked output instead of one per part. The zeros add exact
     * zeros, so each part gets what its own pair gives up to the order of its sums. On a GPU (one kernel per call,
     * where the zero blocks would be bytes read for nothing) and on the segmented path, each part is applied on
     * its own. The stacks are built from the per-projection ones, once per batch.
     */
    @Override
    public NDArray applyGroup(int layer, List<Projection> group, long[] outs, NDArray x) {
        LoraCostModel.Path path = path(x.getShape().get(1));
        if (path == null) {
            return null;
        }
        if (!groupParts || group.size() < 2 || path == LoraCostModel.Path.SEGMENTED) {
            return WeightDelta.super.applyGroup(layer, group, outs, x);
        }
        long key = key(layer, group.get(0));
        Stack s;
        if (path == LoraCostModel.Path.SHARED) {
            s = sharedGroups.computeIfAbsent(key, k -> {
                List<NDArray> downs = new ArrayList<>();
                List<NDArray> ups = new ArrayList<>();
                for (Projection p : group) {
                    AdapterWeights.Pair pair = shared.pair(layer, p);
                    downs.add(pair == null ? null : pair.down());
                    ups.add(pair == null ? null : pair.up());
                }
                return blocks(downs, ups, outs, 0);
            });
        } else {
            if (!gathered) {
                gather();
            }
            s = groupStacks.computeIfAbsent(key, k -> {
                List<NDArray> downs = new ArrayList<>();
                List<NDArray> ups = new ArrayList<>();
                for (Projection p : group) {
                    Stack part = stacks.get(key(layer, p));
                    downs.add(part == null ? null : part.down());
                    ups.add(part == null ? null : part.up());
                }
                return blocks(downs, ups, outs, 1);
            });
        }
        return s.down() == null ? null : x.matMul(s.down()).matMul(s.up());
    }

    /**
     * The group's down factors side by side ([..., in, Σr]) and its up factors as one block-diagonal array
     * ([..., Σr, Σ outs]); parts without factors (null) take no rank and give zero columns. {@code lead} is the
     * number of leading (row) axes. A group with no factors at all is a Stack of nulls.
     */
    private Stack blocks(List<NDArray> downs, List<NDArray> ups, long[] outs, int lead) {
        NDList present = new NDList();
        long rank = 0;
        for (NDArray d : downs) {
            if (d != null) {
                present.add(d);
                rank += d.getShape().get(lead + 1);
            }
        }
        if (present.isEmpty()) {
            return new Stack(null, null);
        }
        NDArray down = present.get(0);
        if (present.size() > 1) { // a new array (its manager would be the first part's): this batch's to free
            down = NDArrays.concat(present, lead + 1);
            down.attach(manager);
        }
        long outSum = java.util.Arrays.stream(outs).sum();
        Shape shape = lead == 0 ? new Shape(rank, outSum) : new Shape(rows.size(), rank, outSum);
        NDArray up = manager.zeros(shape, down.getDataType());
        long r0 = 0;
        long o0 = 0;
        for (int i = 0; i < ups.size(); i++) {
            NDArray u = ups.get(i);
            if (u != null) {
                long r = u.getShape().get(lead);
                up.set(new NDIndex((lead == 0 ? "" : ":, ") + "{}:{}, {}:{}", r0, r0 + r, o0, o0 + outs[i]), u);
                r0 += r;
            }
            o0 += outs[i];
        }
        return new Stack(down, up);
    }

    private NDArray segmented(int layer, Projection projection, NDArray x) {
        NDList parts = new NDList();
        long out = -1;
        for (int g = 0; g < groups.size(); g++) {
            AdapterWeights.Pair pair = groups.get(g).pair(layer, projection);
            if (pair != null) {
                out = pair.up().getShape().get(1);
            }
        }
        if (out < 0) {
            return null;
        }
        Shape xs = x.getShape();
        for (int g = 0; g < groups.size(); g++) {
            NDArray rowsOfGroup = x.get(new NDIndex("{}", groupRows.get(g)));
            AdapterWeights.Pair pair = groups.get(g).pair(layer, projection);
            long n = groupRows.get(g).getShape().get(0);
            parts.add(pair == null ? x.getManager().zeros(new Shape(n, xs.get(1), out))
                    : rowsOfGroup.matMul(pair.down()).matMul(pair.up()));
        }
        if (baseRows > 0) {
            parts.add(x.getManager().zeros(new Shape(baseRows, xs.get(1), out)));
        }
        NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
        return all.get(new NDIndex("{}", restoreOrder));
    }

    @Override
    public void close() {
        manager.close();
    }
}
