package org.openledger.studio.app.load;

/** What one request of the load does. */
public enum Kind {
    COMPLETION("completion"),
    COMPLETION_STREAM("completion stream"),
    CHAT("chat"),
    CHAT_STREAM("chat stream"),
    MODELS("GET /v1/models"),
    HEALTH("GET /health"),
    ATTRIBUTION("GET /v1/attribution"),
    FINETUNE_CREATE("fine-tune create"),
    FINETUNE_EVENTS("fine-tune event stream"),
    UPLOAD("Datanet upload"),
    SLOW_READER("slow reader (1 B/s)"),
    STREAM_DROPPED("stream, client leaves"),
    UNSTREAMED_DROPPED("unstreamed, client leaves");

    private final String label;

    Kind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Kinds whose clients misbehave on purpose: their own latency is not the node's. */
    public boolean rude() {
        return this == SLOW_READER || this == STREAM_DROPPED || this == UNSTREAMED_DROPPED;
    }

    /** Completions and chats: the kinds whose latency the rude clients must not hurt. */
    public boolean inference() {
        return this == COMPLETION || this == COMPLETION_STREAM || this == CHAT || this == CHAT_STREAM;
    }
}
