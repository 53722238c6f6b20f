package org.openledger.studio.gpu.generate;

import java.util.List;
import java.util.regex.Pattern;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.model.InvalidModelException;
import org.openledger.studio.gpu.tokenizer.ChatMessage;
import org.openledger.studio.gpu.tokenizer.ChatTemplate;
import org.openledger.studio.gpu.tokenizer.ChatTemplateException;

/** Turns what clients send (text, a conversation) into prompt token ids for a model. */
public final class Prompts {

    /** Used when a model ships no chat template: plain "role: content" lines, then "assistant:". */
    public static final String FALLBACK_TEMPLATE = "{% for m in messages %}{{ m.role }}: {{ m.content }}\n"
            + "{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}";

    private Prompts() {
    }

    /** A completion prompt: the text with the tokenizer's special tokens (e.g. Llama's BOS). */
    public static long[] completion(BaseModel model, String text) throws InvalidModelException {
        return model.requireTokenizer().encodeWithSpecialTokens(text);
    }

    /** The rendered conversation, ending where the assistant's reply begins. */
    public static long[] chat(BaseModel model, List<ChatMessage> messages)
            throws InvalidModelException, ChatTemplateException {
        return model.requireTokenizer().encode(render(model, messages));
    }

    public static String render(BaseModel model, List<ChatMessage> messages) throws ChatTemplateException {
        return template(model).render(messages, true);
    }

    /** A role name and a colon, as line templates open a turn ("User:"); special-token templates do not. */
    private static final Pattern ROLE_LINE = Pattern.compile("[A-Za-z][A-Za-z ]{0,30}:");

    /**
     * Text that ends the assistant's turn for a template of role-prefixed lines: the next user line,
     * e.g. {@code "\nUser:"}. A base model that learned conversations in that shape writes the next user turn
     * itself after its answer; chat replies stop there, as a chat model's stop at its end-of-turn token. Empty for
     * templates that open a user turn with special tokens (ChatML, Llama 3): those models end a turn with EOS.
     */
    public static List<String> endOfTurn(BaseModel model) throws ChatTemplateException {
        return endOfTurn(template(model));
    }

    static List<String> endOfTurn(ChatTemplate template) throws ChatTemplateException {
        String marker = "\u0001";
        String rendered = template.render(List.of(ChatMessage.user(marker)), false);
        int at = rendered.indexOf(marker);
        String opening = at < 0 ? "" : rendered.substring(0, at).strip();
        if (!template.bosToken().isEmpty() && opening.startsWith(template.bosToken())) {
            opening = opening.substring(template.bosToken().length()).strip();
        }
        return ROLE_LINE.matcher(opening).matches() ? List.of("\n" + opening) : List.of();
    }

    private static ChatTemplate template(BaseModel model) throws ChatTemplateException {
        ChatTemplate template = model.chatTemplate().orElse(null);
        return template != null ? template : ChatTemplate.of(FALLBACK_TEMPLATE, "", "");
    }
}
