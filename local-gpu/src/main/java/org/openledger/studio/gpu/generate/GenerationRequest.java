package org.openledger.studio.gpu.generate;

import java.util.List;
import org.openledger.studio.gpu.lora.AdapterWeights;

/**
 * What to generate from a prompt of token ids. Build with {@link #builder(long[])}; defaults follow OpenAI's
 * completions API (16 tokens, temperature 1, top-p 1, no stop sequences).
 *
 * @param temperature 0 means greedy decoding
 * @param topK        0 means no top-k cut
 * @param seed        null means a fresh random seed; the same seed gives the same tokens, batched or not
 * @param logprobs    how many alternatives to report per generated token (0-20); the chosen token's
 *                    log-probability is always reported
 * @param promptLogprobs also score the prompt tokens (for OpenAI's echo + logprobs)
 * @param adapter     a LoRA applied to this request only, or null for the base model
 * @param presencePenalty  OpenAI's presence_penalty (-2..2): subtracted once from the logit of every token
 *                         already in the completion
 * @param frequencyPenalty OpenAI's frequency_penalty (-2..2): subtracted per occurrence in the completion
 * @param logitBias        OpenAI's logit_bias: token id -> value added to its logit (-100..100)
 */
public record GenerationRequest(long[] promptIds, int maxTokens, double temperature, int topK, double topP,
                                Long seed, List<String> stop, boolean stopAtEndOfSequence, int logprobs,
                                boolean promptLogprobs, AdapterWeights adapter, double presencePenalty,
                                double frequencyPenalty, java.util.Map<Long, Double> logitBias) {

    public GenerationRequest {
        promptIds = promptIds.clone();
        stop = List.copyOf(stop);
        logitBias = java.util.Map.copyOf(logitBias);
    }

    public static Builder builder(long[] promptIds) {
        return new Builder(promptIds);
    }

    /** Fluent construction with OpenAI's defaults. */
    public static final class Builder {
        private final long[] promptIds;
        private int maxTokens = 16;
        private double temperature = 1.0;
        private int topK;
        private double topP = 1.0;
        private Long seed;
        private List<String> stop = List.of();
        private boolean stopAtEndOfSequence = true;
        private int logprobs;
        private boolean promptLogprobs;
        private AdapterWeights adapter;
        private double presencePenalty;
        private double frequencyPenalty;
        private java.util.Map<Long, Double> logitBias = java.util.Map.of();

        private Builder(long[] promptIds) {
            this.promptIds = promptIds;
        }

        public Builder maxTokens(int v) {
            maxTokens = v;
            return this;
        }

        public Builder temperature(double v) {
            temperature = v;
            return this;
        }

        public Builder greedy() {
            temperature = 0;
            return this;
        }

        public Builder topK(int v) {
            topK = v;
            return this;
        }

        public Builder topP(double v) {
            topP = v;
            return this;
        }

        public Builder seed(Long v) {
            seed = v;
            return this;
        }

        public Builder stop(List<String> v) {
            stop = v;
            return this;
        }

        /** Whether the model's end-of-sequence tokens end the completion (OpenAI's ignore_eos, negated). */
        public Builder stopAtEndOfSequence(boolean v) {
            stopAtEndOfSequence = v;
            return this;
        }

        public Builder logprobs(int v) {
            logprobs = v;
            return this;
        }

        public Builder promptLogprobs(boolean v) {
            promptLogprobs = v;
            return this;
        }

        public Builder presencePenalty(double v) {
            presencePenalty = v;
            return this;
        }

        public Builder frequencyPenalty(double v) {
            frequencyPenalty = v;
            return this;
        }

        public Builder logitBias(java.util.Map<Long, Double> v) {
            logitBias = v;
            return this;
        }

        public Builder adapter(AdapterWeights v) {
            adapter = v;
            return this;
        }

        public GenerationRequest build() {
            return new GenerationRequest(promptIds, maxTokens, temperature, topK, topP, seed, stop,
                    stopAtEndOfSequence, logprobs, promptLogprobs, adapter, presencePenalty, frequencyPenalty,
                    logitBias);
        }
    }
}
