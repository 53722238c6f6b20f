package org.openledger.studio.gpu.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.lora.AdapterBatch;
import org.openledger.studio.gpu.lora.AdapterWeights;
import org.openledger.studio.gpu.lora.LoraCostModel;
import org.openledger.studio.gpu.lora.MergedAdapter;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.PagedKvCache;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.model.WeightDelta;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;

/**
 * The rows being generated now, and one iteration-level step over them (Orca's continuous batching): every live
 * row takes part in every step, a decoding row with its one next token and a row still reading its prompt with
 * a chunk of it, so a row may join between any two steps and leaves as soon as it ends. Prompt tokens per step
 * are capped over all rows, so a long newcomer prompt delays the decoding rows by one bounded chunk at a time.
 * Each row has its own adapter, sampler, stop sequences and KV blocks, and gets what it would get alone.
 *
 * <p>The LoRA term of each step takes the path (shared, gathered, segmented) a {@link LoraCostModel} predicts
 * cheapest for the step's shape. While one adapter dominates the rows ({@link Merging}), its rows run on a copy of
 * the base weights with it merged in, as a pass of their own without any LoRA term, and the other rows run on the
 * base weights with theirs; when the cost model predicts that the second pass costs more than the LoRA work it
 * saves, the step runs as one pass over the base weights instead.
 *
 * <p>Used by one thread at a time.
 */
final class RunningBatch implements AutoCloseable {

    private final Transformer transformer;
    private final ModelConfig c;
    private final TextTokenizer tokenizer;
    private final NDManager run;
    private final PagedKvCache cache;
    private final int prefillChunk;
    private final int prefillBudget;
    private final AdapterBatch.Strategy strategy;
    private final LoraCostModel costs;
    private final AdapterMerger merger;
    private final long layerWeights;
    private final List<LiveRow> live = new ArrayList<>();
    /** The LoRA term of all rows, and of the rows not served by the merged copy; rebuilt when rows change. */
    private AdapterBatch adapters;
    private AdapterBatch others;
    private boolean membershipChanged = true;
    private long steps;
    private long mergedSteps;
    private long splitSteps;

    /**
     * @param kvTokens      KV cache slots over all rows
     * @param prefillChunk  prompt tokens of one row fed per step at most
     * @param prefillBudget prompt tokens of all rows fed per step at most
     */
    RunningBatch(BaseModel model, int kvTokens, int prefillChunk, int prefillBudget, AdapterBatch.Strategy strategy) {
        this(model, kvTokens, prefillChunk, prefillBudget, strategy, LoraCostModel.cpuDefaults(), Merging.OFF);
    }

    /**
     * @param costs   predicts each LoRA path's cost, for the per-step choice
     * @param merging when an adapter that dominates the rows is merged into a copy of the base weights
     */
    RunningBatch(BaseModel model, int kvTokens, int prefillChunk, int prefillBudget, AdapterBatch.Strategy strategy,
                 LoraCostModel costs, Merging merging) {
        if (prefillChunk < 1 || prefillBudget < 1) {
            throw new IllegalArgumentException("prefill chunk and budget must be at least 1 token");
        }
        this.transformer = model.transformer();
        this.c = transformer.config();
        this.tokenizer = model.tokenizer().orElse(null);
        this.run = transformer.weights().manager().newSubManager();
        this.cache = new PagedKvCache(run, c, kvTokens);
        this.prefillChunk = prefillChunk;
        this.prefillBudget = prefillBudget;
        this.strategy = strategy;
        this.costs = costs;
        this.merger = new AdapterMerger(transformer.weights(), merging);
        long perLayer = 0;
        for (org.openledger.studio.gpu.model.Projection p : org.openledger.studio.gpu.model.Projection.values()) {
            long[] w = p.weightShape(c);
            perLayer += w[0] * w[1];
        }
        this.layerWeights = perLayer;
    }

    /** A new row, which takes part from the next step; null when the KV cache has no room for it yet. */
    LiveRow admit(GenerationRequest request, int index, TokenListener listener) {
        PagedKvCache.Row kv = cache.reserve(LiveRow.need(request));
        if (kv == null) {
            return null;
        }
        LiveRow row = new LiveRow(request, index, listener, kv, tokenizer);
        if (request.promptLogprobs()) {
            row.promptLogits = new float[request.promptIds().length * c.vocabSize()];
        }
        live.add(row);
        membershipChanged = true;
        return row;
    }

    /** Whether a request could ever be admitted (its need fits the whole cache). */
    boolean fits(GenerationRequest request) {
        return LiveRow.need(request) <= cache.capacity();
    }

    int size() {
        return live.size();
    }

    boolean isEmpty() {
        return live.isEmpty();
    }

    List<LiveRow> rows() {
        return List.copyOf(live);
    }

    int freeKvTokens() {
        return cache.freeTokens();
    }

    long steps() {
        return steps;
    }

    /** Steps whose rows all ran on the merged copy (no LoRA term at all). */
    long mergedSteps() {
        return mergedSteps;
    }

    /** Steps run as two passes: the merged adapter's rows on its copy, the rest on the base weights. */
    long splitSteps() {
        return splitSteps;
    }

    /** The id of the adapter merged now, or null. */
    String mergedAdapter() {
        MergedAdapter m = merger.current();
        return m == null ? null : m.source().id();
    }

    /** The upload merged now, or null. */
    AdapterWeights mergedSource() {
        MergedAdapter m = merger.current();
        return m == null ? null : m.source();
    }

    long merges() {
        return merger.merges();
    }

    long unmerges() {
        return merger.unmerges();
    }

    /** Ends a row now (its client went away): it leaves before the next step and frees its KV blocks. */
    void cancel(LiveRow row) {
        if (live.remove(row)) {
            row.finish = FinishReason.CANCELLED;
            cache.release(row.kv);
            membershipChanged = true;
        }
    }

    /**
     * Runs one step over every live row; {@code leaving} rows (cancelled, timed out) are dropped first. Returns
     * the rows that ended in it, already gone from the batch.
     */
    List<LiveRow> step(Predicate<LiveRow> leaving) {
        List<LiveRow> ended = new ArrayList<>();
        for (LiveRow row : List.copyOf(live)) {
            if (leaving.test(row)) {
                cancel(row);
                ended.add(row);
            }
        }
        if (live.isEmpty()) {
            return ended;
        }
        int n = live.size();
        int[] lengths = new int[n];
        // a prompt goes in whole chunks of min(chunk, budget), so it is cut at the same places however many rows
        // join with it, and gives the same numbers as alone; the oldest joining row always gets its chunk
        int chunk = Math.min(prefillChunk, prefillBudget);
        int budget = prefillBudget;
        for (int r = 0; r < n; r++) {
            LiveRow row = live.get(r);
            if (row.prefilling()) {
                int want = Math.min(chunk, row.request.promptIds().length - row.fed);
                if (want <= budget || budget == prefillBudget) {
                    lengths[r] = want;
                    budget -= want;
                }
            } else {
                lengths[r] = 1;
            }
        }
        int width = Arrays.stream(lengths).max().orElse(1);
        long[][] tokens = new long[n][width];
        List<Long> logitsAt = new ArrayList<>();
        int[] firstLogit = new int[n];
        for (int r = 0; r < n; r++) {
            LiveRow row = live.get(r);
            firstLogit[r] = logitsAt.size();
            if (row.prefilling()) {
                System.arraycopy(row.request.promptIds(), row.fed, tokens[r], 0, lengths[r]);
                boolean ends = row.fed + lengths[r] == row.request.promptIds().length;
                if (row.promptLogits != null) {
                    for (int t = 0; t < lengths[r]; t++) {
                        logitsAt.add((long) r * width + t);
                    }
                } else if (ends) {
                    logitsAt.add((long) r * width + lengths[r] - 1);
                }
            } else {
                tokens[r][0] = row.next;
                logitsAt.add((long) r * width);
            }
        }
        int vocab = c.vocabSize();
        int[] need = new int[logitsAt.size()];
        for (int r = 0; r < n; r++) {
            for (int i = firstLogit[r]; i < (r + 1 < n ? firstLogit[r + 1] : need.length); i++) {
                need[i] = live.get(r).need(vocab);
            }
        }
        RowLogits[] out = forward(tokens, lengths, logitsAt.stream().mapToLong(Long::longValue).toArray(), need);
        steps++;
        for (int r = 0; r < n; r++) {
            LiveRow row = live.get(r);
            int at = firstLogit[r];
            if (row.prefilling()) {
                int promptLength = row.request.promptIds().length;
                if (row.promptLogits != null) {
                    for (int t = 0; t < lengths[r]; t++) {
                        System.arraycopy(out[at + t].all(), 0, row.promptLogits, (row.fed + t) * vocab, vocab);
                    }
                    at += lengths[r] - 1;
                }
                row.fed += lengths[r];
                if (row.fed == promptLength) {
                    row.promptDone(out[at], c);
                }
            } else {
                row.advance(out[at], c);
            }
        }
        for (LiveRow row : List.copyOf(live)) {
            if (row.finish != null) {
                live.remove(row);
                cache.release(row.kv);
                membershipChanged = true;
                ended.add(row);
            }
        }
        return ended;
    }

    /** The logits at {@code logitsAt}, each read as far as {@code need} says (see {@link RowLogits#read}). */
    private RowLogits[] forward(long[][] tokens, int[] lengths, long[] logitsAt, int[] need) {
        int n = live.size();
        List<AdapterWeights> perRow = new ArrayList<>();
        live.forEach(r -> perRow.add(r.request.adapter()));
        boolean mergeChanged = merger.update(perRow);
        if (membershipChanged || mergeChanged) {
            closeAdapters();
            membershipChanged = false;
        }
        MergedAdapter merged = merger.current();
        boolean[] inMerged = new boolean[n];
        int mergedRows = 0;
        for (int r = 0; r < n && merged != null; r++) {
            inMerged[r] = perRow.get(r) == merged.source();
            mergedRows += inMerged[r] ? 1 : 0;
        }
        List<PagedKvCache.Row> kv = live.stream().map(r -> r.kv).toList();
        if (mergedRows == n) {
            mergedSteps++;
            return run(merged.transformer(), tokens, lengths, kv, WeightDelta.NONE, logitsAt, need);
        }
        AdapterBatch all = adapters(perRow);
        if (mergedRows > 0) {
            List<AdapterWeights> rest = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                if (!inMerged[r]) {
                    rest.add(perRow.get(r));
                }
            }
            if (others == null) {
                others = new AdapterBatch(run, c, rest, strategy, costs);
            }
            int width = tokens[0].length;
            double saved = all.predictedMicros(width) - others.predictedMicros(width);
            if (saved > costs.passCost(c.numLayers(), layerWeights)) {
                splitSteps++;
                return split(tokens, lengths, logitsAt, need, kv, inMerged, merged);
            }
        }
        return run(transformer, tokens, lengths, kv, all == null ? WeightDelta.NONE : all, logitsAt, need);
    }

    /** Two passes: the merged adapter's rows on its copy of the weights, the other rows with their LoRA terms. */
    private RowLogits[] split(long[][] tokens, int[] lengths, long[] logitsAt, int[] need,
                              List<PagedKvCache.Row> kv, boolean[] inMerged, MergedAdapter merged) {
        int n = tokens.length;
        int width = tokens[0].length;
        RowLogits[] out = new RowLogits[logitsAt.length];
        for (boolean part : new boolean[] {true, false}) {
            int[] place = new int[n];
            List<Integer> rows = new ArrayList<>();
            int partWidth = 1;
            for (int r = 0; r < n; r++) {
                place[r] = inMerged[r] == part ? rows.size() : -1;
                if (place[r] >= 0) {
                    rows.add(r);
                    partWidth = Math.max(partWidth, lengths[r]);
                }
            }
            long[][] partTokens = new long[rows.size()][];
            int[] partLengths = new int[rows.size()];
            List<PagedKvCache.Row> partKv = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                partTokens[i] = Arrays.copyOf(tokens[rows.get(i)], partWidth);
                partLengths[i] = lengths[rows.get(i)];
                partKv.add(kv.get(rows.get(i)));
            }
            List<Integer> wanted = new ArrayList<>();
            List<Long> at = new ArrayList<>();
            for (int k = 0; k < logitsAt.length; k++) {
                int r = (int) (logitsAt[k] / width);
                if (place[r] >= 0) {
                    wanted.add(k);
                    at.add((long) place[r] * partWidth + logitsAt[k] % width);
                }
            }
            int[] partNeed = wanted.stream().mapToInt(k -> need[k]).toArray();
            RowLogits[] got = run(part ? merged.transformer() : transformer, partTokens, partLengths, partKv,
                    part ? WeightDelta.NONE : others, at.stream().mapToLong(Long::longValue).toArray(), partNeed);
            for (int j = 0; j < wanted.size(); j++) {
                out[wanted.get(j)] = got[j];
            }
        }
        return out;
    }

    private RowLogits[] run(Transformer t, long[][] tokens, int[] lengths, List<PagedKvCache.Row> kv,
                            WeightDelta delta, long[] logitsAt, int[] need) {
        try (NDManager scope = run.newSubManager()) {
            NDArray logits = t.forward(scope, tokens, lengths, kv, cache, delta, logitsAt);
            return logits == null ? new RowLogits[0] : RowLogits.read(logits, need);
        }
    }

    /** The LoRA term of all rows, or null when no row has an adapter. */
    private AdapterBatch adapters(List<AdapterWeights> perRow) {
        if (adapters == null && perRow.stream().anyMatch(a -> a != null)) {
            adapters = new AdapterBatch(run, c, perRow, strategy, costs);
        }
        return adapters;
    }

    private void closeAdapters() {
        if (adapters != null) {
            adapters.close();
            adapters = null;
        }
        if (others != null) {
            others.close();
            others = null;
        }
    }

    @Override
    public void close() {
        for (LiveRow row : live) {
            cache.release(row.kv);
        }
        live.clear();
        closeAdapters();
        merger.close();
        run.close();
    }
}
