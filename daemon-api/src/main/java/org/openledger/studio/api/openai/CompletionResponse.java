package org.openledger.studio.api.openai;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@code POST /v1/completions}, and (with {@code usage} null) each chunk of its stream. An answer
 * of an adapter that has an influence index names its attribution record in {@code attribution_id} (the first
 * choice's; in a stream, on the usage chunk).
 */
public record CompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                 Usage usage, String attributionId) {

    public CompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                              Usage usage) {
        this(id, object, created, model, choices, usage, null);
    }

    /** The same answer naming its attribution record ({@code GET /v1/attribution/{id}}). */
    public CompletionResponse withAttributionId(String attribution) {
        return new CompletionResponse(id, object, created, model, choices, usage, attribution);
    }

    /** One completion. In a stream chunk, {@code text} is the new text only. */
    public record Choice(String text, int index, Logprobs logprobs, String finishReason) {
    }

    /**
     * OpenAI's legacy log-probability block: per token its text, log-probability (null for the first prompt token),
     * the most likely alternatives, and its character offset in the returned text.
     */
    public record Logprobs(List<String> tokens, List<Float> tokenLogprobs, List<Map<String, Float>> topLogprobs,
                           List<Integer> textOffset) {
    }
}
