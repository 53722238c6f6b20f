package org.openledger.studio.gpu.generate;

/** Why a row stopped, in OpenAI's words: {@code stop} (end-of-sequence token or a stop sequence) or {@code length}. */
public enum FinishReason {
    STOP, LENGTH;

    public String openAiName() {
        return name().toLowerCase();
    }
}
