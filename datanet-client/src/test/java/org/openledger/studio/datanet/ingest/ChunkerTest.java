package org.openledger.studio.datanet.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    record Out(String text, long line, long offset) {
    }

    private final List<Out> rows = new ArrayList<>();

    private Chunker chunker(int max, int overlap) {
        return new Chunker(new ChunkSettings(max, overlap), TokenCounter.WORDS, new TextNormaliser(),
                (text, line, offset, page) -> rows.add(new Out(text, line, offset)));
    }

    private static String words(String prefix, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append(prefix).append(i);
        }
        return b.toString();
    }

    @Test
    void smallParagraphsArePackedWholeIntoOneRow() {
        Chunker c = chunker(50, 5);
        c.line("first paragraph here", 1, 0, 0, false);
        c.line("", 2, 21, 0, false);
        c.line("second one", 3, 22, 0, false);
        c.finish();
        assertEquals(List.of(new Out("first paragraph here\n\nsecond one", 1, 0)), rows);
    }

    @Test
    void aParagraphThatDoesNotFitStartsANewRowWithTheOverlapRepeated() {
        Chunker c = chunker(20, 3);
        c.line(words("a", 15), 1, 0, 0, false);
        c.line("", 2, 0, 0, false);
        c.line(words("b", 10), 3, 100, 0, false);
        c.finish();
        assertEquals(2, rows.size());
        assertEquals(words("a", 15), rows.get(0).text());
        assertEquals(1, rows.get(0).line());
        assertEquals("a12 a13 a14\n\n" + words("b", 10), rows.get(1).text());
        assertEquals(1, rows.get(1).line(), "the row starts with text from line 1 (the overlap)");
    }

    @Test
    void aLongParagraphIsCutIntoWindowsWithinBudgetThatCoverEveryWord() {
        Chunker c = chunker(40, 8);
        String text = words("w", 1000);
        // feed it as one line in 37-character pieces, as an over-long line arrives
        for (int i = 0, n = 0; i < text.length(); i += 37, n++) {
            c.line(text.substring(i, Math.min(text.length(), i + 37)), 1, i, 0, n > 0);
        }
        c.finish();
        Set<String> seen = new LinkedHashSet<>();
        for (Out r : rows) {
            assertTrue(TokenCounter.WORDS.count(r.text()) <= 40, "row within budget: " + r.text());
            seen.addAll(Arrays.asList(r.text().split(" ")));
        }
        assertEquals(new LinkedHashSet<>(Arrays.asList(text.split(" "))), seen, "no word lost or mangled");
        assertTrue(rows.size() >= 1000 / 40 && rows.size() <= 1000 / 30 + 1, "windows advance by budget - overlap");
        for (int i = 1; i < rows.size(); i++) {
            String[] prev = rows.get(i - 1).text().split(" ");
            assertTrue(rows.get(i).text().startsWith(prev[prev.length - 1]) || rows.get(i).text().contains(" " + prev[prev.length - 1]),
                    "consecutive windows overlap");
            assertEquals(text.indexOf(rows.get(i).text().split(" ")[0] + " "), rows.get(i).offset(),
                    "offset points at the row's first word");
        }
    }
}
