package org.openledger.studio.gpu.generate;

/**
 * What a streaming client receives, shaped like one OpenAI stream chunk: the row (choice index), the token just
 * chosen (null on a closing event), the text that may now be shown (possibly empty: text that could still turn
 * into a stop sequence, or half a UTF-8 character, is held back), and a finish reason on the row's last event.
 */
public record TokenEvent(int row, GeneratedToken token, String textDelta, FinishReason finish) {
}
