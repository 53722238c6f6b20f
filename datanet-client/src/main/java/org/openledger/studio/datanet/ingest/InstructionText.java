package org.openledger.studio.datanet.ingest;

import java.util.Optional;

/**
 * The text of an instruction/response row, in the Alpaca layout that fine-tuning tools already read, so the row
 * trains the same way whether it came from JSONL or CSV. A Datanet row is one signed text; {@link #parse} reads the
 * pair back out of it so that fine-tuning can learn the response alone.
 */
public final class InstructionText {

    private static final String INSTRUCTION = "### Instruction:\n";
    private static final String INPUT = "\n\n### Input:\n";
    private static final String RESPONSE = "\n\n### Response:\n";

    private InstructionText() {
    }

    /** An instruction (with its input, when there was one, after a blank line) and the response to it. */
    public record Pair(String prompt, String response) {
    }

    /** The row text of an instruction, an optional input and a response. */
    public static String of(String instruction, String input, String response) {
        StringBuilder b = new StringBuilder(INSTRUCTION).append(instruction.strip());
        if (input != null && !input.isBlank()) {
            b.append(INPUT).append(input.strip());
        }
        return b.append(RESPONSE).append(response.strip()).toString();
    }

    /**
     * The pair in a text written by {@link #of}; empty for any other text (plain prose, or an instruction with an
     * empty response). The first {@code ### Response:} heading ends the instruction, so a response may quote the
     * headings.
     */
    public static Optional<Pair> parse(String text) {
        if (text == null || !text.startsWith(INSTRUCTION)) {
            return Optional.empty();
        }
        int response = text.indexOf(RESPONSE);
        if (response < 0) {
            return Optional.empty();
        }
        String head = text.substring(INSTRUCTION.length(), response);
        String answer = text.substring(response + RESPONSE.length());
        int input = head.indexOf(INPUT);
        String prompt = input < 0 ? head : head.substring(0, input) + "\n\n" + head.substring(input + INPUT.length());
        if (prompt.isBlank() || answer.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Pair(prompt, answer));
    }
}
