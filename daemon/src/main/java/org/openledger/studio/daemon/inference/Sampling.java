package org.openledger.studio.daemon.inference;

import java.util.List;
import java.util.Map;

/**
 * How to sample, in OpenAI's terms, already checked for range.
 *
 * @param maxTokens tokens to generate; {@link #UNTIL_CONTEXT} for as many as the model's context leaves after the prompt
 * @param seed     null for a fresh seed; with n completions, completion i uses seed + i
 * @param logprobs alternatives to report per token (0-20)
 */
public record Sampling(int maxTokens, double temperature, double topP, int topK, Long seed, List<String> stop,
                       int logprobs, double presencePenalty, double frequencyPenalty, Map<Long, Double> logitBias) {

    public static final int UNTIL_CONTEXT = -1;

    public Sampling {
        stop = List.copyOf(stop);
        logitBias = Map.copyOf(logitBias);
    }

    /** The same sampling, also stopping at {@code more} (those already asked for are not repeated). */
    public Sampling alsoStoppingAt(List<String> more) {
        List<String> all = new java.util.ArrayList<>(stop);
        more.stream().filter(s -> !all.contains(s)).forEach(all::add);
        return new Sampling(maxTokens, temperature, topP, topK, seed, all, logprobs, presencePenalty,
                frequencyPenalty, logitBias);
    }
}
