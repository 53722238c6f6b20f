package org.openledger.studio.datanet.ingest;

/**
 * The text of an instruction/response row, in the Alpaca layout that fine-tuning tools already read, so the row
 * trains the same way whether it came from JSONL or CSV.
 */
final class InstructionText {

    private InstructionText() {
    }

    static String of(String instruction, String input, String response) {
        StringBuilder b = new StringBuilder("### Instruction:\n").append(instruction.strip());
        if (input != null && !input.isBlank()) {
            b.append("\n\n### Input:\n").append(input.strip());
        }
        return b.append("\n\n### Response:\n").append(response.strip()).toString();
    }
}
