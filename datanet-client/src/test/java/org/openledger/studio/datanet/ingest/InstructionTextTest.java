package org.openledger.studio.datanet.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InstructionTextTest {

    @Test
    void aPairReadsBackAsItWasWritten() {
        InstructionText.Pair p = InstructionText.parse(InstructionText.of(" Name a colour. ", null, "Blue.\n")).get();
        assertEquals("Name a colour.", p.prompt());
        assertEquals("Blue.", p.response());
    }

    @Test
    void theInputFollowsTheInstructionAfterABlankLine() {
        InstructionText.Pair p = InstructionText.parse(
                InstructionText.of("Translate to French.", "Good morning", "Bonjour")).get();
        assertEquals("Translate to French.\n\nGood morning", p.prompt());
        assertEquals("Bonjour", p.response());
    }

    @Test
    void aResponseMayQuoteTheHeadings() {
        String answer = "Write it as:\n\n### Response:\nlike this";
        InstructionText.Pair p = InstructionText.parse(InstructionText.of("How?", null, answer)).get();
        assertEquals("How?", p.prompt());
        assertEquals(answer, p.response());
    }

    @Test
    void otherTextIsNotAPair() {
        assertTrue(InstructionText.parse("Call me Ishmael.").isEmpty());
        assertTrue(InstructionText.parse("### Instruction:\nno response heading").isEmpty());
        assertTrue(InstructionText.parse("### Instruction:\n\n\n### Response:\nonly an answer").isEmpty());
        assertTrue(InstructionText.parse(" ### Instruction:\nx\n\n### Response:\ny").isEmpty());
        assertTrue(InstructionText.parse(null).isEmpty());
    }
}
