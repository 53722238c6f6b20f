package org.openledger.studio.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code POST /v1/completions}, as OpenAI defines it (plus vLLM's {@code top_k}). {@code prompt} is a string, an
 * array holding one string, or an array of token ids; {@code stop} is a string or an array of strings. Absent
 * fields take OpenAI's defaults.
 */
public record CompletionRequest(String model, JsonNode prompt, Integer maxTokens, Double temperature, Double topP,
                                Integer topK, Integer n, JsonNode stop, Long seed, Boolean echo, Integer logprobs,
                                Boolean stream, String user, Double presencePenalty, Double frequencyPenalty,
                                Map<String, Double> logitBias) {
}
