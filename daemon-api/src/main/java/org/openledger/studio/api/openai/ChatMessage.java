package org.openledger.studio.api.openai;

/** One turn of a conversation; in a stream chunk's {@code delta}, either field may be absent. */
public record ChatMessage(String role, String content) {
}
