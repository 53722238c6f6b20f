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
    void learnsTheSameMergesAsTheTextbookLoop() {
        java.util.Random rnd = new java.util.Random(7);
        String[] syllables = {"ka", "lo", "mi", "the", "an", "ing", "qu", "e", "st", "ré", "9", "!"};
        List<String> texts = new java.util.ArrayList<>(CORPUS);
        for (int d = 0; d < 200; d++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 12; w++) {
                for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                    sb.append(syllables[rnd.nextInt(syllables.length)]);
                }
                sb.append(rnd.nextInt(5) == 0 ? ", " : " ");
            }
            texts.add(sb.toString());
        }
        BpeTrainer.Result fast = new BpeTrainer(700, List.of("<s>")).train(texts);
        BpeTrainer.Result naive = NaiveBpe.train(700, List.of("<s>"), texts);
        assertTrue(fast.merges().size() > 100, "enough merges to compare: " + fast.merges().size());
        assertEquals(naive.merges().stream().map(m -> m[0] + " " + m[1]).toList(),
                fast.merges().stream().map(m -> m[0] + " " + m[1]).toList());
        assertEquals(naive.vocab(), fast.vocab());
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
