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
    private final List<LiveRow> live = new ArrayList<>();
    private AdapterBatch adapters;
    private boolean membershipChanged = true;
    private long steps;

    /**
     * @param kvTokens      KV cache slots over all rows
     * @param prefillChunk  prompt tokens of one row fed per step at most
     * @param prefillBudget prompt tokens of all rows fed per step at most
     */
    RunningBatch(BaseModel model, int kvTokens, int prefillChunk, int prefillBudget, AdapterBatch.Strategy strategy) {
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
        WeightDelta delta = delta();
        List<PagedKvCache.Row> kv = live.stream().map(r -> r.kv).toList();
        try (NDManager scope = run.newSubManager()) {
            NDArray logits = transformer.forward(scope, tokens, lengths, kv, cache, delta, logitsAt);
            return logits == null ? new RowLogits[0] : RowLogits.read(logits, need);
        }
    }

    /** The LoRA term of the current rows; rebuilt only when a row joined or left. */
    private WeightDelta delta() {
        if (membershipChanged) {
            if (adapters != null) {
                adapters.close();
                adapters = null;
            }
            List<AdapterWeights> perRow = new ArrayList<>();
            live.forEach(r -> perRow.add(r.request.adapter()));
            if (perRow.stream().anyMatch(a -> a != null)) {
                adapters = new AdapterBatch(run, c, perRow, strategy);
            }
            membershipChanged = false;
        }
        return adapters == null ? WeightDelta.NONE : adapters;
    }

    @Override
    public void close() {
        for (LiveRow row : live) {
            cache.release(row.kv);
        }
        live.clear();
        if (adapters != null) {
            adapters.close();
        }
        run.close();
    }
}
