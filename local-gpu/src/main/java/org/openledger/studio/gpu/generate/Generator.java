package org.openledger.studio.gpu.generate;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.IntPredicate;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.MemoryPlan;
import org.openledger.studio.gpu.lora.AdapterBatch;
import org.openledger.studio.gpu.lora.AdapterWeights;
import org.openledger.studio.gpu.model.KvCache;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Transformer;
import org.openledger.studio.gpu.model.WeightDelta;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;

/**
 * Generates completions for a batch of requests at once: one padded prefill of all prompts, then one decoding
 * step per token for every row still running, with a shared KV cache and each row's own adapter, sampler and
 * stop sequences. A row that has finished takes no more slots (it is fed padding). Interrupting the calling
 * thread cancels the batch with a {@link CancellationException}.
 */
public final class Generator {

    private static final int MAX_LOGPROBS = 20;

    private final BaseModel model;
    private final int prefillChunk;

    public Generator(BaseModel model) {
        this(model, MemoryPlan.PREFILL_CHUNK);
    }

    /** @param prefillChunk prompt tokens fed per step; smaller bounds memory, larger is faster on big devices */
    public Generator(BaseModel model, int prefillChunk) {
        if (prefillChunk < 1) {
            throw new IllegalArgumentException("prefillChunk must be at least 1");
        }
        this.model = model;
        this.prefillChunk = prefillChunk;
    }

    public GenerationResult generate(GenerationRequest request, TokenListener listener) throws InvalidRequestException {
        return generate(List.of(request), listener).get(0);
    }

    /** Results in request order; the listener's events carry the row index. */
    public List<GenerationResult> generate(List<GenerationRequest> requests, TokenListener listener)
            throws InvalidRequestException {
        return generate(requests, listener, row -> false);
    }

    /**
     * Results in request order; the listener's events carry the row index. A row for which {@code cancelled} turns
     * true (its client went away) ends before its next token with {@link FinishReason#CANCELLED}; the others go on.
     */
    public List<GenerationResult> generate(List<GenerationRequest> requests, TokenListener listener,
                                           IntPredicate cancelled) throws InvalidRequestException {
        if (requests.isEmpty() || requests.size() > model.memoryPlan().batch()) {
            throw new InvalidRequestException("n", requests.size() + " rows were asked for; model '" + model.id()
                    + "' was loaded to generate 1 to " + model.memoryPlan().batch() + " rows at once");
        }
        for (GenerationRequest r : requests) {
            validate(r);
        }
        Transformer transformer = model.transformer();
        ModelConfig c = transformer.config();
        TextTokenizer tokenizer = model.tokenizer().orElse(null);
        int rows = requests.size();
        int width = requests.stream().mapToInt(r -> r.promptIds().length).max().orElse(0);
        boolean everyPosition = requests.stream().anyMatch(GenerationRequest::promptLogprobs);
        Row[] state = new Row[rows];
        for (int r = 0; r < rows; r++) {
            state[r] = new Row(requests.get(r), tokenizer);
        }
        List<AdapterWeights> adapters = new ArrayList<>();
        requests.forEach(r -> adapters.add(r.adapter()));
        try (NDManager run = transformer.weights().manager().newSubManager();
             KvCache cache = new KvCache(run, c.numLayers(), rows, (int) Long.min(model.context(),
                     (long) width + requests.stream().mapToInt(GenerationRequest::maxTokens).max().orElse(0)));
             AdapterBatch batch = new AdapterBatch(run, c, adapters)) {
            WeightDelta delta = adapters.stream().allMatch(a -> a == null) ? WeightDelta.NONE : batch;
            int vocab = c.vocabSize();
            float[][] promptLogits = new float[rows][];
            float[][] last = prefill(transformer, run, requests, width, cache, delta, everyPosition, promptLogits);
            for (int r = 0; r < rows; r++) {
                state[r].scorePrompt(promptLogits[r], vocab);
                state[r].logits = last[r];
                if (state[r].finish != null) {
                    listener.onEvent(new TokenEvent(r, null, "", state[r].finish)); // max_tokens = 0: scored only
                }
            }
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("generation cancelled");
                }
                long[][] next = new long[rows][1];
                int[] nextLengths = new int[rows];
                boolean any = false;
                for (int r = 0; r < rows; r++) {
                    Row row = state[r];
                    if (row.finish != null) {
                        continue;
                    }
                    if (cancelled.test(r)) {
                        row.finish = FinishReason.CANCELLED;
                        continue;
                    }
                    long token = row.advance(r, c, listener);
                    if (row.finish == null) {
                        next[r][0] = token;
                        nextLengths[r] = 1;
                        any = true;
                    }
                }
                if (!any) {
                    break;
                }
                float[] out = step(transformer, run, next, nextLengths, cache, delta, false);
                for (int r = 0; r < rows; r++) {
                    if (nextLengths[r] == 1) {
                        state[r].logits = Arrays.copyOfRange(out, r * vocab, (r + 1) * vocab);
                    }
                }
            }
        }
        List<GenerationResult> results = new ArrayList<>();
        for (Row row : state) {
            results.add(row.result());
        }
        return results;
    }

    /**
     * Feeds the prompts in chunks of {@code prefillChunk} tokens, so that attention scores never exceed
     * heads x chunk x context however long the prompt. Returns each row's logits after its last prompt token;
     * with {@code everyPosition}, also fills {@code promptLogits[row]} with [promptLength x vocab] logits.
     */
    private float[][] prefill(Transformer t, NDManager run, List<GenerationRequest> requests, int width,
                              KvCache cache, WeightDelta delta, boolean everyPosition, float[][] promptLogits) {
        int rows = requests.size();
        int vocab = t.config().vocabSize();
        float[][] last = new float[rows][];
        for (int start = 0; start < width; start += prefillChunk) {
            int w = Math.min(prefillChunk, width - start);
            long[][] tokens = new long[rows][w];
            int[] lengths = new int[rows];
            for (int r = 0; r < rows; r++) {
                long[] p = requests.get(r).promptIds();
                lengths[r] = Math.max(0, Math.min(w, p.length - start));
                if (lengths[r] > 0) {
                    System.arraycopy(p, start, tokens[r], 0, lengths[r]);
                }
            }
            float[] out = step(t, run, tokens, lengths, cache, delta, everyPosition);
            for (int r = 0; r < rows; r++) {
                int n = requests.get(r).promptIds().length;
                if (lengths[r] == 0) {
                    continue;
                }
                if (everyPosition) {
                    if (promptLogits[r] == null) {
                        promptLogits[r] = new float[n * vocab];
                    }
                    System.arraycopy(out, r * w * vocab, promptLogits[r], start * vocab, lengths[r] * vocab);
                }
                if (start + lengths[r] == n) {
                    int at = everyPosition ? (r * w + lengths[r] - 1) * vocab : r * vocab;
                    last[r] = Arrays.copyOfRange(out, at, at + vocab);
                }
            }
        }
        return last;
    }

    private static float[] step(Transformer t, NDManager run, long[][] tokens, int[] lengths, KvCache cache,
                                WeightDelta delta, boolean everyPosition) {
        try (NDManager scope = run.newSubManager()) {
            return t.forward(scope, tokens, lengths, cache, delta, everyPosition).toFloatArray();
        }
    }

    /** Refuses what cannot be served, naming the OpenAI parameter at fault. */
    public void validate(GenerationRequest r) throws InvalidRequestException {
        ModelConfig c = model.config();
        int n = r.promptIds().length;
        if (n == 0) {
            throw new InvalidRequestException("prompt", "the prompt is empty");
        }
        for (int i = 0; i < n; i++) {
            long id = r.promptIds()[i];
            if (id < 0 || id >= c.vocabSize()) {
                throw new InvalidRequestException("prompt", "token id " + id + " at position " + i
                        + " is outside the vocabulary of " + c.vocabSize());
            }
        }
        int context = model.context();
        if (n > context) {
            throw new InvalidRequestException("prompt", "the prompt has " + n + " tokens but model '" + model.id()
                    + "' has a context of " + context + " tokens");
        }
        if (r.maxTokens() < 0) {
            throw new InvalidRequestException("max_tokens", "max_tokens must be 0 or more, got " + r.maxTokens());
        }
        // in long: max_tokens near Integer.MAX_VALUE must not wrap the sum below the context
        long total = (long) n + r.maxTokens();
        if (total > context) {
            throw new InvalidRequestException("max_tokens", "this model's maximum context length is " + context
                    + " tokens, but " + total + " were requested (" + n + " in the prompt, "
                    + r.maxTokens() + " for the completion); reduce the prompt or max_tokens");
        }
        if (!(r.temperature() >= 0 && r.temperature() <= 2)) {
            throw new InvalidRequestException("temperature", "temperature must be between 0 and 2, got "
                    + r.temperature());
        }
        if (!(r.topP() > 0 && r.topP() <= 1)) {
            throw new InvalidRequestException("top_p", "top_p must be in (0, 1], got " + r.topP());
        }
        if (r.topK() < 0) {
            throw new InvalidRequestException("top_k", "top_k must be 0 (off) or more, got " + r.topK());
        }
        if (r.logprobs() < 0 || r.logprobs() > MAX_LOGPROBS) {
            throw new InvalidRequestException("logprobs", "logprobs must be between 0 and " + MAX_LOGPROBS
                    + ", got " + r.logprobs());
        }
        if (!(Math.abs(r.presencePenalty()) <= 2)) {
            throw new InvalidRequestException("presence_penalty", "presence_penalty must be between -2 and 2, got "
                    + r.presencePenalty());
        }
        if (!(Math.abs(r.frequencyPenalty()) <= 2)) {
            throw new InvalidRequestException("frequency_penalty", "frequency_penalty must be between -2 and 2, got "
                    + r.frequencyPenalty());
        }
        for (var e : r.logitBias().entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= c.vocabSize() || !(Math.abs(e.getValue()) <= 100)) {
                throw new InvalidRequestException("logit_bias", "logit_bias needs token ids below " + c.vocabSize()
                        + " and values between -100 and 100, got " + e.getKey() + ": " + e.getValue());
            }
        }
        if (r.stop().stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw new InvalidRequestException("stop", "stop sequences must not be empty");
        }
        if (!r.stop().isEmpty() && model.tokenizer().isEmpty()) {
            throw new InvalidRequestException("stop", "model '" + model.id() + "' has no tokenizer, so stop "
                    + "sequences cannot be matched");
        }
    }

    /** The state of one row while it is generated. */
    private static final class Row {
        final GenerationRequest request;
        final TextTokenizer tokenizer;
        final Sampler sampler;
        final TextStream text;
        final List<GeneratedToken> prompt = new ArrayList<>();
        final List<GeneratedToken> completion = new ArrayList<>();
        float[] logits;
        FinishReason finish;

        Row(GenerationRequest request, TextTokenizer tokenizer) {
            this.request = request;
            this.tokenizer = tokenizer;
            this.sampler = new Sampler(request);
            this.text = new TextStream(request.stop(), tokenizer);
        }

        String textOf(long id) {
            return tokenizer == null ? "" : tokenizer.tokenText(id);
        }

        /** @param logits [promptLength x vocab] when prompt log-probabilities were computed, else null */
        void scorePrompt(float[] logits, int vocab) {
            long[] ids = request.promptIds();
            for (int t = 0; t < ids.length; t++) {
                Float lp = null;
                List<TokenLogprob> top = List.of();
                if (logits != null && request.promptLogprobs() && t > 0) {
                    float[] logp = Sampler.logSoftmax(Arrays.copyOfRange(logits, (t - 1) * vocab, t * vocab));
                    lp = logp[(int) ids[t]];
                    top = Sampler.top(logp, request.logprobs(), this::textOf);
                }
                prompt.add(new GeneratedToken(ids[t], textOf(ids[t]), lp, top));
            }
            if (request.maxTokens() == 0) {
                finish = FinishReason.LENGTH;
            }
        }

        /** Chooses the next token, reports it, and decides whether the row is finished; returns the token. */
        long advance(int r, ModelConfig c, TokenListener listener) {
            int id = sampler.choose(adjusted(logits));
            float[] logp = Sampler.logSoftmax(logits);
            if (request.stopAtEndOfSequence() && c.eosTokenIds().contains(id)) {
                finish = FinishReason.STOP;
                listener.onEvent(new TokenEvent(r, null, text.flush(), finish));
                return id;
            }
            GeneratedToken token = new GeneratedToken(id, textOf(id), logp[id],
                    Sampler.top(logp, request.logprobs(), this::textOf));
            completion.add(token);
            String delta = text.push(completion.stream().mapToLong(GeneratedToken::id).toArray());
            if (text.stopped()) {
                finish = FinishReason.STOP;
            } else if (completion.size() >= request.maxTokens()) {
                finish = FinishReason.LENGTH;
                delta += text.flush();
            }
            listener.onEvent(new TokenEvent(r, token, delta, finish));
            return id;
        }

        /**
         * Logits after OpenAI's penalties and biases, which steer the choice only: reported log-probabilities stay
         * the model's own.
         */
        float[] adjusted(float[] raw) {
            if (request.presencePenalty() == 0 && request.frequencyPenalty() == 0 && request.logitBias().isEmpty()) {
                return raw;
            }
            float[] out = raw.clone();
            java.util.Map<Long, Integer> seen = new java.util.HashMap<>();
            for (GeneratedToken t : completion) {
                seen.merge(t.id(), 1, Integer::sum);
            }
            seen.forEach((id, n) -> out[(int) (long) id] -= (float) (request.presencePenalty()
                    + request.frequencyPenalty() * n));
            request.logitBias().forEach((id, bias) -> out[(int) (long) id] += (float) (double) bias);
            return out;
        }

        GenerationResult result() {
            return new GenerationResult(text.text(), completion, prompt, finish);
        }
    }
}
