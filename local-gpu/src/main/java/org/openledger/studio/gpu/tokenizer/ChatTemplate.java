package org.openledger.studio.gpu.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openledger.studio.gpu.model.InvalidModelException;

/**
 * A model's chat template from {@code tokenizer_config.json} ({@code chat_template}, a string or the entry named
 * "default" of a list), rendered with the variables transformers passes: {@code messages}, {@code bos_token},
 * {@code eos_token}, {@code add_generation_prompt}. See {@link JinjaTemplate} for the supported Jinja subset.
 */
public final class ChatTemplate {

    public static final String FILE = "tokenizer_config.json";

    private final JinjaTemplate template;
    private final String bosToken;
    private final String eosToken;

    private ChatTemplate(JinjaTemplate template, String bosToken, String eosToken) {
        this.template = template;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    public static ChatTemplate of(String source, String bosToken, String eosToken) throws ChatTemplateException {
        try {
            return new ChatTemplate(JinjaTemplate.parse(source), bosToken == null ? "" : bosToken,
                    eosToken == null ? "" : eosToken);
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
    }

    /** The template of a model folder, or empty when it has no tokenizer_config.json or no chat_template. */
    public static Optional<ChatTemplate> read(Path modelDir) throws InvalidModelException {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidModelException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode t = root == null ? null : root.get("chat_template");
        String source = null;
        if (t != null && t.isTextual()) {
            source = t.asText();
        } else if (t != null && t.isArray()) {
            for (JsonNode entry : t) {
                if ("default".equals(entry.path("name").asText())) {
                    source = entry.path("template").asText();
                }
            }
        }
        if (source == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(source, token(root.get("bos_token")), token(root.get("eos_token"))));
        } catch (ChatTemplateException e) {
            throw new InvalidModelException(file + ": the chat template cannot be used here: " + e.getMessage(), e);
        }
    }

    private static String token(JsonNode n) {
        if (n == null || n.isNull()) {
            return "";
        }
        return n.isObject() ? n.path("content").asText("") : n.asText();
    }

    public String bosToken() {
        return bosToken;
    }

    public String eosToken() {
        return eosToken;
    }

    /**
     * The prompt text for a conversation; with {@code addGenerationPrompt} it ends where the assistant's reply
     * begins.
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) throws ChatTemplateException {
        List<Object> list = new ArrayList<>();
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            list.add(map);
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("messages", list);
        vars.put("bos_token", bosToken);
        vars.put("eos_token", eosToken);
        vars.put("add_generation_prompt", addGenerationPrompt);
        try {
            return template.render(vars);
        } catch (StackOverflowError e) {
            throw tooDeep();
        }
    }

    /**
     * Expressions are bounded in depth when parsed; blocks nested thousands deep, or a chain of thousands of
     * operators, still overflow the recursive walk (found by fuzzing). The walk has changed nothing by then, so the
     * overflow is the template's refusal, said as such.
     */
    private static ChatTemplateException tooDeep() {
        return new ChatTemplateException("the template nests or chains its blocks or operators too deeply to render");
    }
}
