package org.openledger.studio.gpu.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.model.InvalidModelException;

class BpeTrainerTest {

    @TempDir
    Path dir;

    static final List<String> CORPUS = List.of(
            "The cat sat on the mat. The cat ate the rat.",
            "A dog and a cat met on the mat; the dog sat.",
            "Numbers like 1234 and 5678, unicode like café and naïve, and tabs\tand\nnewlines.");

    @Test
    void trainedTokenizerLoadsInDjlAndRoundTripsAnyText() throws Exception {
        BpeTrainer trainer = new BpeTrainer(300, List.of("<|endoftext|>"));
        BpeTrainer.Result r = trainer.train(CORPUS);
        assertTrue(r.vocab().size() > 270 && r.vocab().size() <= 300, "stops when no pair repeats");
        assertEquals(r.vocab().size() - 257, r.merges().size());
        assertEquals(0, r.vocab().get("<|endoftext|>"));
        trainer.write(r, dir.resolve("tokenizer.json"));
        try (TextTokenizer t = TextTokenizer.load(dir)) {
            for (String s : List.of("The cat sat on the mat.", "café ☕ 日本語 \u0000 emoji 🐈", "  spaces  ")) {
                long[] ids = t.encode(s);
                assertEquals(s, t.decode(ids), "round trip of " + s);
            }
            // merges were learned: a frequent word costs fewer tokens than its bytes
            assertTrue(t.encode(" the cat").length < " the cat".length());
            assertEquals(" cat", t.tokenText(t.encode(" cat")[0]));
            long[] special = t.encode("<|endoftext|>");
            assertArrayEquals(new long[] {0}, special);
        }
    }

    @Test
    void longInputIsNeverTruncated() throws Exception {
        BpeTrainer trainer = new BpeTrainer(260, List.of("<s>"));
        trainer.write(trainer.train(CORPUS), dir.resolve("tokenizer.json"));
        try (TextTokenizer t = TextTokenizer.load(dir)) {
            String longText = "x y ".repeat(2000);
            assertEquals(longText, t.decode(t.encode(longText)));
            assertTrue(t.encode(longText).length > 512);
        }
    }

    @Test
    void missingOrBrokenTokenizerIsAClearError() throws Exception {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> TextTokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": 3}");
        assertThrows(InvalidModelException.class, () -> TextTokenizer.load(dir));
    }
}
