package org.openledger.studio.datanet.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextNormaliserTest {

    private final TextNormaliser n = new TextNormaliser();

    @Test
    void composedAndDecomposedAccentsBecomeTheSameText() {
        assertEquals(n.normalise("caf\u00e9"), n.normalise("cafe\u0301"));
        assertEquals("caf\u00e9", n.normalise("cafe\u0301"));
    }

    @Test
    void whitespaceIsCollapsedButParagraphsSurvive() {
        assertEquals("a b\nc\n\nd", n.normalise("  a \t  b  \r\nc\r\n\r\n\r\n\n  d  \n"));
    }

    @Test
    void controlAndZeroWidthCharactersAreDropped() {
        assertEquals("ab c", n.normalise("\ufeffa\u200bb\u0007 c"));
    }
}
