package org.openledger.studio.attribution.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.openledger.studio.attribution.influence.Example;
import org.openledger.studio.attribution.influence.IndexedRow;
import org.openledger.studio.finetune.LoraTrainable;
import org.openledger.studio.finetune.TokenWindows;
import org.openledger.studio.finetune.Trainer;
import org.openledger.studio.finetune.TrainingConfig;
import org.openledger.studio.finetune.TrainingListener;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.EngineArrays;
import org.openledger.studio.gpu.model.KvCache;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.model.WeightDelta;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;

/** Rows, answers, training and losses in the benchmarks, as the node does them. */
final class BenchTraining {

    private static final String END_OF_TEXT = "<|endoftext|>";

    private BenchTraining() {
    }

    static AdapterConfig adapterConfig(InfluenceBenchmark.Options o, BaseModel base) {
        return new AdapterConfig(o.rank(), 2.0 * o.rank(), Set.of(Projection.Q, Projection.V), false, base.id());
    }

    /** A plain-text row as the node packs it: opened by end-of-text, which is context, not a target. */
    static Example row(TextTokenizer tok, String text, int context) {
        long[] ids = tok.encodeWithSpecialTokens(END_OF_TEXT + text);
        if (ids.length > context) {
            ids = Arrays.copyOf(ids, context);
        }
        return Example.text(ids);
    }

    /** A fact's answer: its prompt (opened by end-of-text) read, its answer the target. */
    static Example answer(TextTokenizer tok, BenchData.Row fact) {
        long[] full = tok.encodeWithSpecialTokens(END_OF_TEXT + fact.text());
        long[] prompt = tok.encodeWithSpecialTokens(END_OF_TEXT + fact.prompt());
        if (prompt.length < full.length && Arrays.equals(prompt, Arrays.copyOf(full, prompt.length))) {
            return Example.completion(prompt, Arrays.copyOfRange(full, prompt.length, full.length));
        }
        return Example.completion(prompt, tok.encode(fact.answer()));
    }

    static long tokens(List<Example> examples) {
        return examples.stream().mapToLong(Example::length).sum();
    }

    /** The node's step count: epochs x packed tokens / tokens per step, and its schedule. */
    static TrainingConfig config(InfluenceBenchmark.Options o, List<Example> examples, int epochs) {
        long perStep = (long) o.batch() * o.context();
        int steps = (int) Math.max(2, (epochs * tokens(examples) + perStep - 1) / perStep);
        return TrainingConfig.defaults(steps, o.batch(), o.context(), 1e-3 * o.lrMultiplier(), o.seed())
                .withEvaluation(0, 1).withCheckpointEvery(0);
    }

    static void train(Transformer model, LoraTrainable lora, TrainingConfig tc, List<Example> examples)
            throws IOException {
        int total = (int) tokens(examples);
        int[] stream = new int[Math.max(total, tc.contextLength() + 1)];
        int at = 0;
        for (Example e : examples) {
            for (long t : e.tokens()) {
                stream[at++] = (int) t;
            }
        }
        for (int i = at; i < stream.length; i++) { // too little data for one window: repeat it
            stream[i] = stream[i - at];
        }
        new Trainer(model, lora, tc, new TokenWindows(stream, new int[0])).run(null, TrainingListener.NONE,
                () -> false);
    }

    /** Each example's mean loss over its targets under the base model plus {@code delta}. */
    static double[] losses(Transformer model, WeightDelta delta, List<Example> examples, NDManager parent) {
        double[] out = new double[examples.size()];
        int batch = 32;
        for (int from = 0; from < examples.size(); from += batch) {
            int rows = Math.min(batch, examples.size() - from);
            int width = 1;
            for (int r = 0; r < rows; r++) {
                width = Math.max(width, examples.get(from + r).length() - 1);
            }
            long[][] inputs = new long[rows][width];
            long[] next = new long[rows * width];
            int[] lengths = new int[rows];
            for (int r = 0; r < rows; r++) {
                Example e = examples.get(from + r);
                int len = Math.max(0, e.length() - 1);
                lengths[r] = Math.max(1, len);
                for (int t = 0; t < len; t++) {
                    inputs[r][t] = e.tokens()[t];
                    next[r * width + t] = e.tokens()[t + 1];
                }
            }
            try (NDManager scope = parent.newSubManager();
                 KvCache cache = new KvCache(scope, model.config().numLayers(), rows, width)) {
                NDArray logits = attach(scope, model.forward(scope, inputs, lengths, cache, delta, true));
                NDArray logp = attach(scope, logits.logSoftmax(-1)).reshape(rows * (long) width,
                        model.config().vocabSize());
                float[] picked = attach(scope, logp.gather(EngineArrays.owned(scope, next,
                        new Shape(rows * (long) width, 1)), 1)).toFloatArray();
                for (int r = 0; r < rows; r++) {
                    Example e = examples.get(from + r);
                    double sum = 0;
                    int count = 0;
                    for (int t = 0; t + 1 < e.length(); t++) {
                        if (e.targets()[t + 1]) {
                            sum -= picked[r * width + t];
                            count++;
                        }
                    }
                    out[from + r] = count == 0 ? 0 : sum / count;
                }
            }
        }
        return out;
    }

    static NDArray attach(NDManager scope, NDArray a) {
        if (a.getManager() != scope) {
            a.attach(scope);
        }
        return a;
    }

    static List<IndexedRow> named(List<BenchData.Row> rows) {
        List<IndexedRow> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            out.add(new IndexedRow("line:" + (i + 1), null, null, null, null, rows.get(i).text()));
        }
        return out;
    }
}
