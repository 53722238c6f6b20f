package org.openledger.studio.api.openai;

import java.util.List;

/**
 * The answer of {@code POST /v1/chat/completions} ({@code object} "chat.completion"), and each chunk of its stream
 * ({@code object} "chat.completion.chunk", {@code delta} instead of {@code message}, {@code usage} null). An
 * answer of an adapter that has an influence index names its attribution record in {@code attribution_id} (the
 * first choice's; in a stream, on the usage chunk).
 */
public record ChatCompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                     Usage usage, String attributionId) {

    public ChatCompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                  Usage usage) {
        this(id, object, created, model, choices, usage, null);
    }

    /** The same answer naming its attribution record ({@code GET /v1/attribution/{id}}). */
    public ChatCompletionResponse withAttributionId(String attribution) {
        return new ChatCompletionResponse(id, object, created, model, choices, usage, attribution);
    }

    public record Choice(int index, ChatMessage message, ChatMessage delta, Logprobs logprobs, String finishReason) {
    }

    /** Per generated token: its text, log-probability and the most likely alternatives. */
    public record Logprobs(List<TokenLogprob> content) {
    }

    public record TokenLogprob(String token, float logprob, List<TopLogprob> topLogprobs) {
    }

    public record TopLogprob(String token, float logprob) {
    }
}
