package org.openledger.studio.api.openai;

import java.util.List;

/**
 * The answer of {@code POST /v1/chat/completions} ({@code object} "chat.completion"), and each chunk of its stream
 * ({@code object} "chat.completion.chunk", {@code delta} instead of {@code message}, {@code usage} null).
 */
public record ChatCompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                     Usage usage) {

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
