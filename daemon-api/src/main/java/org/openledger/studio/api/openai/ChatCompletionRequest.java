package org.openledger.studio.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** {@code POST /v1/chat/completions}, as OpenAI defines it (plus vLLM's {@code top_k}). */
public record ChatCompletionRequest(String model, List<ChatMessage> messages, Integer maxTokens,
                                    Integer maxCompletionTokens, Double temperature, Double topP, Integer topK,
                                    Integer n, JsonNode stop, Long seed, Boolean stream, Boolean logprobs,
                                    Integer topLogprobs, String user, Double presencePenalty,
                                    Double frequencyPenalty, Map<String, Double> logitBias) {
}
