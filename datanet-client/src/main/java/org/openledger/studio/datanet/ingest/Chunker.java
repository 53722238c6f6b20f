package org.openledger.studio.datanet.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a stream of lines into rows of whole paragraphs that fit a token budget, repeating the end of each row at
 * the start of the next (the overlap). A paragraph longer than the budget is cut into windows at word boundaries.
 * Memory stays bounded by the budget: text is emitted as soon as it cannot grow into a better row, so a 2 GB file
 * with no blank line, or no line break at all, is cut as it streams.
 */
public final class Chunker {

    /** Receives each row with the position of its first character. */
    @FunctionalInterface
    public interface Output {
        void row(String text, long line, long offset, int page);
    }

    /** Where the text at {@code index} of the buffer starts in the file. */
    private record Mark(int index, long line, long offset, int page) {
    }

    private final ChunkSettings settings;
    private final TokenCounter counter;
    private final TextNormaliser normaliser;
    private final Output output;

    private final StringBuilder buffer = new StringBuilder();
    private final List<Mark> marks = new ArrayList<>();
    private int tokens;
    /** End of the last whole paragraph in the buffer (a clean place to cut), or -1. */
    private int lastBoundary = -1;
    /** The buffer starts with this many characters repeated from the previous row; never cut inside them. */
    private int overlapLength;
    private boolean paragraphEnded;

    public Chunker(ChunkSettings settings, TokenCounter counter, TextNormaliser normaliser, Output output) {
        this.settings = settings;
        this.counter = counter;
        this.normaliser = normaliser;
        this.output = output;
    }

    /**
     * Adds one line of text. A blank line ends the paragraph. {@code continuesLine} says the text is the next piece
     * of an over-long line, to be joined without a line break.
     */
    public void line(CharSequence text, long line, long offset, int page, boolean continuesLine) {
        if (!continuesLine && isBlank(text)) {
            endParagraph();
            return;
        }
        if (buffer.length() > 0) {
            if (paragraphEnded) {
                if (buffer.length() > overlapLength) {
                    lastBoundary = buffer.length();
                }
                buffer.append("\n\n");
            } else if (!continuesLine) {
                buffer.append('\n');
            }
        }
        paragraphEnded = false;
        marks.add(new Mark(buffer.length(), line, offset, page));
        buffer.append(text);
        tokens += counter.count(text);
        while (tokens > settings.maxTokens()) {
            cut();
        }
    }

    /** Ends the current paragraph (a blank line, a PDF page, a DOCX paragraph). */
    public void endParagraph() {
        if (buffer.length() > 0) {
            paragraphEnded = true;
        }
    }

    /** Emits what is left. */
    public void finish() {
        if (buffer.length() > overlapLength || (buffer.length() > 0 && overlapLength == 0)) {
            emit(buffer.length());
        }
        buffer.setLength(0);
        marks.clear();
        tokens = 0;
        lastBoundary = -1;
        overlapLength = 0;
        paragraphEnded = false;
    }

    private void cut() {
        int end;
        int emittedTokens;
        if (lastBoundary > 0) {
            end = lastBoundary;
            emittedTokens = counter.count(new Slice(buffer, 0, end));
        } else {
            long found = cutForBudget();
            end = (int) (found >>> 32);
            emittedTokens = (int) found;
            if (end >= buffer.length()) {
                // the running count drifted (words split across line pieces count twice): it all fits after all
                tokens = emittedTokens;
                return;
            }
        }
        emit(end);
        long overlap = overlapStart(end);
        int keepFrom = (int) (overlap >>> 32);
        int overlapTokens = (int) overlap;
        while (keepFrom == end && keepFrom < buffer.length() && Character.isWhitespace(buffer.charAt(keepFrom))) {
            keepFrom++;
            end++; // no overlap: the next row starts at its first word, and its marks must say so
        }
        rebase(keepFrom);
        overlapLength = end - keepFrom;
        lastBoundary = -1;
        tokens = Math.max(0, tokens - emittedTokens + overlapTokens);
    }

    /**
     * The longest prefix within the budget that ends at a word end, found by adding up words from the start (token
     * counts of whitespace-separated words add up). Returns {@code end << 32 | tokens}.
     */
    private long cutForBudget() {
        int budget = settings.maxTokens();
        int n = buffer.length();
        int used = 0;
        int end = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j < n && Character.isWhitespace(buffer.charAt(j))) {
                j++;
            }
            while (j < n && !Character.isWhitespace(buffer.charAt(j))) {
                j++;
            }
            int t = counter.count(new Slice(buffer, i, j));
            if (used + t > budget) {
                break;
            }
            used += t;
            end = j;
            i = j;
        }
        if (end > overlapLength || end == n) {
            return ((long) end << 32) | used;
        }
        // one "word" longer than the budget (a base64 blob, a run of symbols): cut it by characters
        int lo = end + 1;
        int hi = n;
        int best = end + 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (used + counter.count(new Slice(buffer, end, mid)) <= budget) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return ((long) best << 32) | (used + counter.count(new Slice(buffer, end, best)));
    }

    /**
     * Where the repeated tail of a row that ends at {@code end} begins: a word start, within the overlap budget.
     * Returns {@code start << 32 | tokens}; {@code start == end} means no overlap.
     */
    private long overlapStart(int end) {
        int budget = settings.overlapTokens();
        int used = 0;
        int best = end;
        int j = end;
        while (budget > 0 && j > 0) {
            int i = j;
            while (i > 0 && Character.isWhitespace(buffer.charAt(i - 1))) {
                i--;
            }
            while (i > 0 && !Character.isWhitespace(buffer.charAt(i - 1))) {
                i--;
            }
            if (i == 0) {
                break; // the whole row would repeat: no progress
            }
            int t = counter.count(new Slice(buffer, i, j));
            if (used + t > budget) {
                break;
            }
            used += t;
            best = i;
            j = i;
        }
        return ((long) best << 32) | used;
    }

    /** A view of part of the buffer, so that counting tokens copies nothing. */
    private record Slice(StringBuilder b, int from, int to) implements CharSequence {
        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            return b.charAt(from + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Slice(b, from + start, from + end);
        }

        @Override
        public String toString() {
            return b.substring(from, to);
        }
    }

    private void emit(int end) {
        String text = normaliser.normalise(buffer.subSequence(0, end));
        if (text.isEmpty() || marks.isEmpty()) {
            return;
        }
        Mark first = marks.get(0);
        output.row(text, first.line(), first.offset(), first.page());
    }

    /** Drops the first {@code from} characters and keeps the marks pointing at the same file positions. */
    private void rebase(int from) {
        Mark covering = null;
        List<Mark> kept = new ArrayList<>();
        for (Mark m : marks) {
            if (m.index() <= from) {
                covering = m;
            } else {
                kept.add(new Mark(m.index() - from, m.line(), m.offset(), m.page()));
            }
        }
        marks.clear();
        if (covering != null) {
            marks.add(new Mark(0, covering.line(), covering.offset() + (from - covering.index()), covering.page()));
        }
        marks.addAll(kept);
        buffer.delete(0, from);
    }

    private static boolean isBlank(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
