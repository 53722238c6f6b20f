package org.openledger.studio.daemon.inference;

import java.util.List;
import org.openledger.studio.gpu.generate.GenerationResult;

/**
 * A finished request: the model id that served it, the prompt as text (for echo) and one result per choice.
 */
public record Completion(String model, String promptText, List<GenerationResult> results) {

    public int promptTokens() {
        return results.isEmpty() ? 0 : results.get(0).promptTokenCount();
    }

    public int completionTokens() {
        return results.stream().mapToInt(GenerationResult::completionTokenCount).sum();
    }
}
