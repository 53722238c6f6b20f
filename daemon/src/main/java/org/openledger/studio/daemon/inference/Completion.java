package org.openledger.studio.daemon.inference;

import java.util.List;
import org.openledger.studio.gpu.generate.GenerationResult;

/**
 * A finished request: the model id that served it, the prompt as text (for echo), one result per choice, and the
 * prompt's token ids.
 */
public record Completion(String model, String promptText, List<GenerationResult> results, long[] promptIds) {

    public Completion(String model, String promptText, List<GenerationResult> results) {
        this(model, promptText, results, new long[0]);
    }

    public int promptTokens() {
        return results.isEmpty() ? 0 : results.get(0).promptTokenCount();
    }

    public int completionTokens() {
        return results.stream().mapToInt(GenerationResult::completionTokenCount).sum();
    }
}
