package org.openledger.studio.gpu.generate;

import java.util.List;
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
        ChatTemplate template = model.chatTemplate().orElse(null);
        if (template == null) {
            template = ChatTemplate.of(FALLBACK_TEMPLATE, "", "");
        }
        return template.render(messages, true);
    }
}
