package org.openledger.studio.gpu.tokenizer;

/**
 * A chat template that cannot be parsed, or that refuses a conversation (templates call raise_exception, e.g.
 * "Conversation roles must alternate user/assistant"). The message is the template's own where it gives one.
 */
public final class ChatTemplateException extends Exception {

    public ChatTemplateException(String message) {
        super(message);
    }
}
