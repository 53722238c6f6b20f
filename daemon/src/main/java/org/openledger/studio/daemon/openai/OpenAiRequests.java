package org.openledger.studio.daemon.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.api.openai.ChatCompletionRequest;
import org.openledger.studio.api.openai.ChatMessage;
import org.openledger.studio.api.openai.CompletionRequest;
import org.openledger.studio.daemon.http.ApiException;
import org.openledger.studio.daemon.inference.Sampling;

/** Reads OpenAI request bodies into engine terms, refusing values out of range with the field's name. */
public final class OpenAiRequests {

    public static final int MAX_CHOICES = 8;
    public static final int MAX_LOGPROBS = 20;

    private OpenAiRequests() {
    }

    /** A prompt as text or as token ids; exactly one is set. */
    public record Prompt(String text, long[] ids) {
    }

    public static Prompt prompt(JsonNode p) {
        if (p == null || p.isNull()) {
            throw ApiException.badParam("prompt", "prompt is required");
        }
        if (p.isTextual()) {
            return new Prompt(p.asText(), null);
        }
        if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
            return new Prompt(p.get(0).asText(), null);
        }
        if (p.isArray() && p.size() > 0 && p.get(0).isArray()) {
            throw ApiException.badParam("prompt", "one prompt per request: send several requests for several prompts");
        }
        if (p.isArray() && p.size() > 0) {
            long[] ids = new long[p.size()];
            for (int i = 0; i < ids.length; i++) {
                JsonNode v = p.get(i);
                if (!v.canConvertToLong() || !v.isIntegralNumber()) {
                    throw ApiException.badParam("prompt", "prompt must be a string or an array of token ids; item " + i
                            + " is " + v.getNodeType().name().toLowerCase());
                }
                ids[i] = v.asLong();
            }
            return new Prompt(null, ids);
        }
        throw ApiException.badParam("prompt", "prompt must be a non-empty string or array of token ids");
    }

    public static Sampling completionSampling(CompletionRequest r) {
        int logprobs = r.logprobs() == null ? 0 : r.logprobs();
        if (logprobs < 0 || logprobs > MAX_LOGPROBS) {
            throw ApiException.badParam("logprobs", "logprobs must be between 0 and " + MAX_LOGPROBS);
        }
        return sampling(r.maxTokens(), 16, "max_tokens", r.temperature(), r.topP(), r.topK(), r.stop(), r.seed(),
                logprobs, new Steering(r.presencePenalty(), r.frequencyPenalty(), r.logitBias()));
    }

    public static Sampling chatSampling(ChatCompletionRequest r) {
        int top = r.topLogprobs() == null ? 0 : r.topLogprobs();
        if (top < 0 || top > MAX_LOGPROBS) {
            throw ApiException.badParam("top_logprobs", "top_logprobs must be between 0 and " + MAX_LOGPROBS);
        }
        if (top > 0 && !Boolean.TRUE.equals(r.logprobs())) {
            throw ApiException.badParam("top_logprobs", "top_logprobs needs logprobs: true");
        }
        Integer max = r.maxCompletionTokens() != null ? r.maxCompletionTokens() : r.maxTokens();
        String maxName = r.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens";
        // like OpenAI's chat API: without a limit, the reply may use what the context leaves
        return sampling(max, Sampling.UNTIL_CONTEXT, maxName, r.temperature(), r.topP(), r.topK(), r.stop(),
                r.seed(), top, new Steering(r.presencePenalty(), r.frequencyPenalty(), r.logitBias()));
    }

    /** OpenAI's penalties and biases, as sent. */
    private record Steering(Double presence, Double frequency, Map<String, Double> bias) {
        Map<Long, Double> biasById() {
            Map<Long, Double> out = new HashMap<>();
            if (bias != null) {
                for (var e : bias.entrySet()) {
                    try {
                        out.put(Long.parseLong(e.getKey()), e.getValue() == null ? 0.0 : e.getValue());
                    } catch (NumberFormatException ex) {
                        throw ApiException.badParam("logit_bias", "logit_bias keys are token ids; \"" + e.getKey()
                                + "\" is not one");
                    }
                }
            }
            return out;
        }
    }

    private static Sampling sampling(Integer maxTokens, int whenAbsent, String maxName, Double temperature,
                                     Double topP, Integer topK, JsonNode stop, Long seed, int logprobs,
                                     Steering steering) {
        if (maxTokens != null && maxTokens < 0) {
            throw ApiException.badParam(maxName, maxName + " must be 0 or more");
        }
        int max = maxTokens == null ? whenAbsent : maxTokens;
        double t = temperature == null ? 1.0 : temperature;
        if (t < 0 || t > 2 || Double.isNaN(t)) {
            throw ApiException.badParam("temperature", "temperature must be between 0 and 2");
        }
        double p = topP == null ? 1.0 : topP;
        if (!(p > 0 && p <= 1)) {
            throw ApiException.badParam("top_p", "top_p must be greater than 0 and at most 1");
        }
        int k = topK == null || topK == -1 ? 0 : topK;
        if (k < 0) {
            throw ApiException.badParam("top_k", "top_k must be -1 (off), 0 (off) or a positive number");
        }
        return new Sampling(max, t, p, k, seed, stops(stop), logprobs,
                steering.presence() == null ? 0 : steering.presence(),
                steering.frequency() == null ? 0 : steering.frequency(), steering.biasById());
    }

    public static int choices(Integer n) {
        int v = n == null ? 1 : n;
        if (v < 1 || v > MAX_CHOICES) {
            throw ApiException.badParam("n", "n must be between 1 and " + MAX_CHOICES);
        }
        return v;
    }

    private static List<String> stops(JsonNode stop) {
        List<String> out = new ArrayList<>();
        if (stop == null || stop.isNull()) {
            return out;
        }
        if (stop.isTextual()) {
            out.add(stop.asText());
        } else if (stop.isArray() && stop.size() <= 4) {
            stop.forEach(s -> {
                if (!s.isTextual()) {
                    throw ApiException.badParam("stop", "stop must be a string or an array of up to 4 strings");
                }
                out.add(s.asText());
            });
        } else {
            throw ApiException.badParam("stop", "stop must be a string or an array of up to 4 strings");
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw ApiException.badParam("stop", "stop sequences must not be empty");
        }
        return out;
    }

    public static List<org.openledger.studio.gpu.tokenizer.ChatMessage> messages(List<ChatMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            throw ApiException.badParam("messages", "messages must hold at least one message");
        }
        List<org.openledger.studio.gpu.tokenizer.ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m == null || m.role() == null || !List.of("system", "user", "assistant", "developer").contains(m.role())) {
                throw ApiException.badParam("messages[" + i + "].role",
                        "role must be one of system, developer, user, assistant");
            }
            if (m.content() == null) {
                throw ApiException.badParam("messages[" + i + "].content", "content must be a string");
            }
            String role = m.role().equals("developer") ? "system" : m.role();
            out.add(new org.openledger.studio.gpu.tokenizer.ChatMessage(role, m.content()));
        }
        return out;
    }
}
