package org.openledger.studio.gpu.lora;

import java.util.regex.Pattern;

/**
 * Text that a regular expression may read only so many characters of: a pattern from a file (an adapter's
 * {@code target_modules}) that backtracks catastrophically, such as {@code (a|a)*b}, would otherwise take time
 * exponential in the text. The JDK's matcher reads through {@link #charAt}, so counting there bounds the whole
 * match; past the budget the match is refused.
 */
final class BoundedText implements CharSequence {

    /** Characters a match may read: a full match of a module name reads a few dozen. */
    static final long BUDGET = 1_000_000;

    private final String text;
    private final long[] reads;

    private BoundedText(String text, long[] reads) {
        this.text = text;
        this.reads = reads;
    }

    /** Thrown when a match reads more than {@link #BUDGET} characters. */
    static final class TooCostly extends RuntimeException {
        TooCostly() {
            super(null, null, false, false);
        }
    }

    /**
     * Whether {@code pattern} matches all of {@code text}.
     *
     * @throws TooCostly when deciding reads more than {@link #BUDGET} characters
     */
    static boolean matches(Pattern pattern, String text) {
        return pattern.matcher(new BoundedText(text, new long[1])).matches();
    }

    @Override
    public char charAt(int index) {
        if (++reads[0] > BUDGET) {
            throw new TooCostly();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BoundedText(text.substring(start, end), reads);
    }

    @Override
    public String toString() {
        return text;
    }
}
