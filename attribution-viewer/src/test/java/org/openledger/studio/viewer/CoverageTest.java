package org.openledger.studio.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.AttributionRecord.Span;
import org.openledger.studio.api.attribution.AttributionRecord.SpanSource;

class CoverageTest {

    private static final String ANSWER = "The keeper counts waves by the sea every night.";

    private static Span span(int start, int end) {
        return new Span(start, end, ANSWER.substring(start, end), 2, List.of(new SpanSource("line:4", "7", "u1", 3,
                "0x1234567890abcdef1234567890abcdef12345678", "Row 4: the keeper counts waves by the sea.")));
    }

    @Test
    void overlappingSpansCutTheAnswerIntoPiecesThatTogetherAreTheAnswer() {
        List<Coverage.Piece> pieces = Coverage.pieces(ANSWER, List.of(span(4, 30), span(18, 39)));
        assertEquals(ANSWER, String.join("", pieces.stream().map(Coverage.Piece::text).toList()));
        assertEquals(List.of(0, 4, 18, 30, 39), pieces.stream().map(Coverage.Piece::start).toList());
        assertFalse(pieces.get(0).matched());
        assertEquals(1, pieces.get(1).spans().size());
        assertEquals(2, pieces.get(2).spans().size(), "the overlap is covered by both");
        assertEquals(3, pieces.get(2).strength(), "a 26-character span makes the overlap strong");
        assertFalse(pieces.get(4).matched());
    }

    @Test
    void offsetsOutsideTheTextAreClippedAndEmptySpansDropped() {
        List<Coverage.Piece> pieces = Coverage.pieces("short", List.of(new Span(2, 99, "ort", 1, List.of()),
                new Span(3, 3, "", 1, List.of())));
        assertEquals(List.of("sh", "ort"), pieces.stream().map(Coverage.Piece::text).toList());
        assertEquals(1, pieces.get(1).strength(), "three characters are a weak match");
        assertEquals(List.of(), Coverage.pieces(null, null).stream().filter(Coverage.Piece::matched).toList());
    }

    @Test
    void hoveringAPieceNamesItsSpansAndTheirRows() {
        Coverage.Piece p = Coverage.pieces(ANSWER, List.of(span(4, 30))).get(1);
        String tip = AttributedText.describe(p);
        assertTrue(tip.startsWith("1 span found verbatim"), tip);
        assertTrue(tip.contains("\"keeper counts waves by the\"  — 2 occurrences"), tip);
        assertTrue(tip.contains("line:4 · Datanet 7 · 0x1234…5678"), tip);
        assertTrue(tip.contains("Row 4: the keeper"), tip);
    }

    @Test
    void sharesLeftToNoDatanetAreInlineTrainingData() {
        var r = new AttributionRecord("attr-1", "attribution", "done", 1L, "m", "m", "x", List.of(), List.of(),
                List.of(new AttributionRecord.ContributorShare("0x1234567890abcdef1234567890abcdef12345678", 0.6)),
                List.of(new AttributionRecord.DatanetShare("7", 0.6)), 10, 3.0, 0.1, null);
        var datanets = ShareSlices.perDatanet(r);
        assertEquals(List.of("Datanet 7", ShareSlices.INLINE), datanets.stream().map(ShareSlices.Slice::label).toList());
        assertEquals(0.4, datanets.get(1).share(), 1e-9);
        assertEquals("0x1234…5678", ShareSlices.perContributor(r).get(0).label());
        assertEquals("7", Palette.leadingDatanet(r));
        assertEquals(Palette.styleClass("7"), Palette.styleClass("7"), "a Datanet keeps its colour");
        assertEquals("attr-palette-0", Palette.styleClass(null));
        var none = new AttributionRecord("attr-2", "attribution", "done", 1L, "m", "m", "x", List.of(), List.of(),
                List.of(), List.of(), 10, 0.0, 0.1, null);
        assertTrue(ShareSlices.perDatanet(none).isEmpty(), "no positive influence: nothing to share");
    }

    @Test
    void formats() {
        assertEquals("42%", Formats.percent(0.42));
        assertEquals("4.2%", Formats.percent(0.042));
        assertEquals("—", Formats.shortAddress(null));
        assertEquals("a b c …", Formats.firstWords(" a b  c d", 3));
        assertEquals("one\ntwo …", Formats.firstLines("one\ntwo\nthree", 2, 80));
    }
}
