package org.openledger.studio.gpu.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.PagedKvCache;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;

/**
 * One row while it is generated: its request, sampler and stop-sequence matching, how much of its prompt has been
 * fed, the token it feeds next, and its place in the KV cache.
 */
final class LiveRow {
    final GenerationRequest request;
    /** The row number its listener's events carry. */
    final int index;
    final TokenListener listener;
    final PagedKvCache.Row kv;
    final long admittedAt = System.nanoTime();
    private final TextTokenizer tokenizer;
    private final Sampler sampler;
    private final TextStream text;
    private final List<GeneratedToken> prompt = new ArrayList<>();
    private final List<GeneratedToken> completion = new ArrayList<>();
    /** [promptLength x vocab] prompt logits, gathered chunk by chunk, when prompt log-probabilities are asked. */
    float[] promptLogits;
    /** Prompt tokens fed so far. */
    int fed;
    /** The token to feed at the next step, once the prompt is in. */
    long next;
    FinishReason finish;

    LiveRow(GenerationRequest request, int index, TokenListener listener, PagedKvCache.Row kv, TextTokenizer tokenizer) {
        this.request = request;
        this.index = index;
        this.listener = listener;
        this.kv = kv;
        this.tokenizer = tokenizer;
        this.sampler = new Sampler(request);
        this.text = new TextStream(request.stop(), tokenizer);
    }

    boolean prefilling() {
        return fed < request.promptIds().length;
    }

    /** KV slots a request needs: its prompt, and every completion token but the last fed back. */
    static int need(GenerationRequest r) {
        return r.promptIds().length + Math.max(r.maxTokens(), 1);
    }

    private String textOf(long id) {
        return tokenizer == null ? "" : tokenizer.tokenText(id);
    }

    /**
     * The prompt is in: scores its tokens (when asked) and, with max_tokens 0, ends the row; otherwise chooses the
     * first token from {@code logits}, the logits after the prompt's last token.
     */
    void promptDone(RowLogits logits, ModelConfig c) {
        int vocab = c.vocabSize();
        long[] ids = request.promptIds();
        for (int t = 0; t < ids.length; t++) {
            Float lp = null;
            List<TokenLogprob> top = List.of();
            if (promptLogits != null && t > 0) {
                float[] logp = Sampler.logSoftmax(Arrays.copyOfRange(promptLogits, (t - 1) * vocab, t * vocab));
                lp = logp[(int) ids[t]];
                top = Sampler.top(logp, request.logprobs(), this::textOf);
            }
            prompt.add(new GeneratedToken(ids[t], textOf(ids[t]), lp, top));
        }
        promptLogits = null;
        if (request.maxTokens() == 0) {
            finish = FinishReason.LENGTH;
            listener.onEvent(new TokenEvent(index, null, "", finish)); // max_tokens = 0: scored only
            return;
        }
        advance(logits, c);
    }

    /**
     * How many of the most likely tokens this row's next choice needs read, or 0 for every logit (see
     * {@link RowLogits#need}); every logit while its prompt is scored.
     */
    int need(int vocab) {
        return promptLogits != null ? 0 : RowLogits.need(request, vocab);
    }

    /** Chooses the next token from the logits after the last one fed, reports it, and decides whether the row ends. */
    void advance(RowLogits logits, ModelConfig c) {
        int id;
        float chosen;
        List<TokenLogprob> top;
        if (logits.whole()) {
            id = sampler.choose(adjusted(logits.all()));
            float[] logp = Sampler.logSoftmax(logits.all());
            chosen = logp[id];
            top = Sampler.top(logp, request.logprobs(), this::textOf);
        } else {
            id = sampler.choose(logits);
            chosen = logits.logprob(id);
            top = logits.top(request.logprobs(), this::textOf);
        }
        if (request.stopAtEndOfSequence() && c.eosTokenIds().contains(id)) {
            finish = FinishReason.STOP;
            listener.onEvent(new TokenEvent(index, null, text.flush(), finish));
            return;
        }
        GeneratedToken token = new GeneratedToken(id, textOf(id), chosen, top);
        completion.add(token);
        String delta = text.push(completion.stream().mapToLong(GeneratedToken::id).toArray());
        if (text.stopped()) {
            finish = FinishReason.STOP;
        } else if (completion.size() >= request.maxTokens()) {
            finish = FinishReason.LENGTH;
            delta += text.flush();
        }
        listener.onEvent(new TokenEvent(index, token, delta, finish));
        next = id;
    }

    /**
     * Logits after OpenAI's penalties and biases, which steer the choice only: reported log-probabilities stay
     * the model's own.
     */
    private float[] adjusted(float[] raw) {
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

    int completionTokens() {
        return completion.size();
    }

    GenerationResult result() {
        if (prompt.isEmpty()) { // left before its prompt was in
            for (long id : request.promptIds()) {
                prompt.add(new GeneratedToken(id, textOf(id), null, List.of()));
            }
        }
        return new GenerationResult(text.text(), completion, prompt, finish);
    }
}
