package org.openledger.studio.gpu.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.tokenizer.BpeTrainer;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;

class TextStreamTest {

    @TempDir
    Path dir;

    @Test
    void holdsBackAPossibleStopAndHalfCharacters() throws Exception {
        BpeTrainer trainer = new BpeTrainer(256, List.of());
        trainer.write(trainer.train(List.of("x")), dir.resolve("tokenizer.json"));
        try (TextTokenizer t = TextTokenizer.load(dir)) {
            // byte-level: one token per byte, so "é" arrives as two tokens
            long[] ids = t.encode("ab é END cd");
            TextStream s = new TextStream(List.of("END"), t);
            StringBuilder out = new StringBuilder();
            List<String> deltas = new java.util.ArrayList<>();
            for (int k = 1; k <= ids.length && !s.stopped(); k++) {
                String d = s.push(java.util.Arrays.copyOf(ids, k));
                deltas.add(d);
                out.append(d);
                assertFalse(out.toString().contains("\uFFFD"), "half a character was shown: " + out);
                assertFalse(out.toString().contains("E") && !s.stopped(), "a stop prefix was shown: " + out);
            }
            assertTrue(s.stopped());
            assertEquals("ab é ", s.text());
            assertEquals("ab é ", out.toString());
        }
    }
}
