package org.openledger.studio.api.attribution;

import java.util.List;
import org.openledger.studio.api.openai.ChatMessage;

/**
 * {@code POST /v1/attribution}: attribute a given answer without generating one. Give {@code prompt} (a completion's
 * prompt) or {@code messages} (a chat, rendered through the model's chat template), and the {@code completion}.
 */
public record AttributionRequest(String model, String prompt, List<ChatMessage> messages, String completion,
                                 Integer topK) {
}
