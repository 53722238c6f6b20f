package org.openledger.studio.viewer;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.openledger.studio.api.attribution.AttributionRecord.Span;

/**
 * An answer cut into pieces at every span boundary, each piece with the spans that cover it, so that a view can
 * highlight what was found verbatim in the node's rows. Offsets outside the text are clipped; spans may overlap.
 */
public final class Coverage {

    /** A run of characters {@code [start, end)} of the answer and the spans covering all of it (none: not matched). */
    public record Piece(int start, int end, String text, List<Span> spans) {

        public boolean matched() {
            return !spans.isEmpty();
        }

        /**
         * How much of the answer around this piece was matched, 0 (nothing) to 3: by the longest span covering it,
         * since a long verbatim run says more about where the answer came from than a common short phrase.
         */
        public int strength() {
            int longest = spans.stream().mapToInt(s -> s.end() - s.start()).max().orElse(0);
            return longest == 0 ? 0 : longest < 8 ? 1 : longest < 24 ? 2 : 3;
        }
    }

    private Coverage() {
    }

    /** The pieces of {@code text} in order; together they are exactly {@code text}. */
    public static List<Piece> pieces(String text, List<Span> spans) {
        String t = text == null ? "" : text;
        List<Span> valid = new ArrayList<>();
        TreeSet<Integer> cuts = new TreeSet<>(List.of(0, t.length()));
        for (Span s : spans == null ? List.<Span>of() : spans) {
            int a = clamp(s.start(), t.length());
            int b = clamp(s.end(), t.length());
            if (b > a) {
                valid.add(new Span(a, b, s.text(), s.count(), s.sources()));
                cuts.add(a);
                cuts.add(b);
            }
        }
        List<Piece> out = new ArrayList<>();
        Integer a = cuts.first();
        for (Integer b : cuts.tailSet(a, false)) {
            int from = a;
            int to = b;
            List<Span> covering = valid.stream().filter(s -> s.start() <= from && s.end() >= to).toList();
            out.add(new Piece(from, to, t.substring(from, to), covering));
            a = b;
        }
        return out;
    }

    private static int clamp(int i, int length) {
        return Math.max(0, Math.min(length, i));
    }
}
