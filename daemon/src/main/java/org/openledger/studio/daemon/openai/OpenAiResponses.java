package org.openledger.studio.daemon.openai;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.openledger.studio.api.openai.ChatCompletionResponse;
import org.openledger.studio.api.openai.ChatMessage;
import org.openledger.studio.api.openai.CompletionResponse;
import org.openledger.studio.api.openai.Usage;
import org.openledger.studio.daemon.inference.Completion;
import org.openledger.studio.gpu.generate.GeneratedToken;
import org.openledger.studio.gpu.generate.GenerationResult;
import org.openledger.studio.gpu.generate.TokenEvent;
import org.openledger.studio.gpu.generate.TokenLogprob;

/** Writes results and stream events in OpenAI's response shapes. One instance per request (it holds the id). */
public final class OpenAiResponses {

    private final String id;
    private final long created = Instant.now().getEpochSecond();
    private final String model;
    private final boolean[] roleSent = new boolean[OpenAiRequests.MAX_CHOICES];

    private OpenAiResponses(String prefix, String model) {
        this.id = prefix + UUID.randomUUID().toString().replace("-", "");
        this.model = model;
    }

    public static OpenAiResponses completion(String model) {
        return new OpenAiResponses("cmpl-", model);
    }

    public static OpenAiResponses chat(String model) {
        return new OpenAiResponses("chatcmpl-", model);
    }

    public CompletionResponse completion(Completion c, boolean echo, boolean logprobs) {
        List<CompletionResponse.Choice> choices = new ArrayList<>();
        for (int i = 0; i < c.results().size(); i++) {
            GenerationResult r = c.results().get(i);
            String text = (echo ? c.promptText() : "") + r.text();
            List<GeneratedToken> tokens = new ArrayList<>();
            if (echo) {
                tokens.addAll(r.prompt());
            }
            tokens.addAll(r.tokens());
            choices.add(new CompletionResponse.Choice(text, i, logprobs ? legacyLogprobs(tokens, 0) : null,
                    r.finishReason().openAiName()));
        }
        return new CompletionResponse(id, "text_completion", created, c.model(), choices,
                Usage.of(c.promptTokens(), c.completionTokens()));
    }

    /** One stream chunk of a completion; the final chunk of a row carries its finish reason. */
    public CompletionResponse completionChunk(TokenEvent e, boolean logprobs) {
        CompletionResponse.Logprobs lp = logprobs && e.token() != null ? legacyLogprobs(List.of(e.token()), 0) : null;
        return new CompletionResponse(id, "text_completion", created, model, List.of(new CompletionResponse.Choice(
                e.textDelta(), e.row(), lp, e.finish() == null ? null : e.finish().openAiName())), null);
    }

    /** The optional last chunk with the request's token counts. */
    public CompletionResponse completionUsage(Completion c) {
        return new CompletionResponse(id, "text_completion", created, c.model(), List.of(),
                Usage.of(c.promptTokens(), c.completionTokens()));
    }

    public ChatCompletionResponse chat(Completion c, boolean logprobs) {
        List<ChatCompletionResponse.Choice> choices = new ArrayList<>();
        for (int i = 0; i < c.results().size(); i++) {
            GenerationResult r = c.results().get(i);
            choices.add(new ChatCompletionResponse.Choice(i, new ChatMessage("assistant", r.text()), null,
                    logprobs ? chatLogprobs(r.tokens()) : null, r.finishReason().openAiName()));
        }
        return new ChatCompletionResponse(id, "chat.completion", created, c.model(), choices,
                Usage.of(c.promptTokens(), c.completionTokens()));
    }

    public ChatCompletionResponse chatChunk(TokenEvent e, boolean logprobs) {
        String role = null;
        if (e.row() < roleSent.length && !roleSent[e.row()]) {
            roleSent[e.row()] = true;
            role = "assistant";
        }
        ChatCompletionResponse.Logprobs lp = logprobs && e.token() != null ? chatLogprobs(List.of(e.token())) : null;
        return new ChatCompletionResponse(id, "chat.completion.chunk", created, model, List.of(
                new ChatCompletionResponse.Choice(e.row(), null, new ChatMessage(role, e.textDelta()), lp,
                        e.finish() == null ? null : e.finish().openAiName())), null);
    }

    public ChatCompletionResponse chatUsage(Completion c) {
        return new ChatCompletionResponse(id, "chat.completion.chunk", created, c.model(), List.of(),
                Usage.of(c.promptTokens(), c.completionTokens()));
    }

    private static CompletionResponse.Logprobs legacyLogprobs(List<GeneratedToken> tokens, int startOffset) {
        List<String> texts = new ArrayList<>();
        List<Float> lps = new ArrayList<>();
        List<Map<String, Float>> tops = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        int offset = startOffset;
        for (GeneratedToken t : tokens) {
            texts.add(t.text());
            lps.add(t.logprob());
            Map<String, Float> top = null;
            if (!t.top().isEmpty()) {
                top = new LinkedHashMap<>();
                for (TokenLogprob alt : t.top()) {
                    top.putIfAbsent(alt.text(), alt.logprob());
                }
            }
            tops.add(top);
            offsets.add(offset);
            offset += t.text().length();
        }
        return new CompletionResponse.Logprobs(texts, lps, tops, offsets);
    }

    private static ChatCompletionResponse.Logprobs chatLogprobs(List<GeneratedToken> tokens) {
        List<ChatCompletionResponse.TokenLogprob> out = new ArrayList<>();
        for (GeneratedToken t : tokens) {
            List<ChatCompletionResponse.TopLogprob> top = new ArrayList<>();
            for (TokenLogprob alt : t.top()) {
                top.add(new ChatCompletionResponse.TopLogprob(alt.text(), alt.logprob()));
            }
            out.add(new ChatCompletionResponse.TokenLogprob(t.text(), t.logprob() == null ? 0f : t.logprob(), top));
        }
        return new ChatCompletionResponse.Logprobs(out);
    }
}
