package org.openledger.studio.gpu.generate;

/** Why a row stopped, in OpenAI's words: {@code stop} (end-of-sequence token or a stop sequence) or {@code length}. */
public enum FinishReason {
    STOP, LENGTH,
    /** Its client went away (the node's own word; OpenAI never sends it to a client that is still there). */
    CANCELLED;

    public String openAiName() {
        return name().toLowerCase();
    }
}
