package org.openledger.studio.gpu.generate;

import java.util.List;

/**
 * A finished completion. {@code text} is the decoded completion cut before any stop sequence; {@code tokens}
 * are the completion's tokens (an end-of-sequence token is not included); {@code prompt} holds the prompt's
 * tokens, with log-probabilities when they were asked for (echo).
 */
public record GenerationResult(String text, List<GeneratedToken> tokens, List<GeneratedToken> prompt,
                               FinishReason finishReason) {

    public GenerationResult {
        tokens = List.copyOf(tokens);
        prompt = List.copyOf(prompt);
    }

    public int promptTokenCount() {
        return prompt.size();
    }

    public int completionTokenCount() {
        return tokens.size();
    }

    public long[] tokenIds() {
        return tokens.stream().mapToLong(GeneratedToken::id).toArray();
    }
}
