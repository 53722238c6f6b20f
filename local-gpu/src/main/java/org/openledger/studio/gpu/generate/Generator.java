package org.openledger.studio.gpu.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.IntPredicate;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.MemoryPlan;
import org.openledger.studio.gpu.lora.AdapterBatch;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.PagedKvCache;

/**
 * Generates completions for a batch of requests at once, on the calling thread: the prompts are fed in chunks,
 * then one decoding step per token for every row still running, each row with its own KV blocks, adapter,
 * sampler and stop sequences; a row that ends leaves the batch at once. Interrupting the calling thread cancels
 * the batch with a {@link CancellationException}. {@link BatchScheduler} serves concurrent requests the same way,
 * with rows joining between steps.
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
        int kvTokens = 0;
        for (GenerationRequest r : requests) {
            validate(r);
            kvTokens += blocks(LiveRow.need(r)) * PagedKvCache.BLOCK;
        }
        int rows = requests.size();
        LiveRow[] state = new LiveRow[rows];
        try (RunningBatch batch = new RunningBatch(model, kvTokens, prefillChunk, rows * prefillChunk,
                AdapterBatch.Strategy.AUTO)) {
            for (int r = 0; r < rows; r++) {
                state[r] = batch.admit(requests.get(r), r, listener);
            }
            while (!batch.isEmpty()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("generation cancelled");
                }
                batch.step(row -> cancelled.test(row.index));
            }
        }
        List<GenerationResult> results = new ArrayList<>();
        for (LiveRow row : state) {
            results.add(row.result());
        }
        return results;
    }

    private static int blocks(int tokens) {
        return (tokens + PagedKvCache.BLOCK - 1) / PagedKvCache.BLOCK;
    }

    int prefillChunk() {
        return prefillChunk;
    }

    BaseModel model() {
        return model;
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
}
