package org.openledger.studio.gpu.generate;

import java.util.List;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;

/**
 * Turns a row's growing list of token ids into text released piece by piece. Text is held back while its end
 * could still become a stop sequence, or while it ends in half a UTF-8 character (decoded as U+FFFD), so a
 * stream never shows what the final text will not contain.
 */
final class TextStream {

    private final List<String> stops;
    private final TextTokenizer tokenizer;
    private int released;
    private String text = "";
    private boolean stopped;

    TextStream(List<String> stops, TextTokenizer tokenizer) {
        this.stops = stops;
        this.tokenizer = tokenizer;
    }

    /** Decodes the completion so far and returns the newly releasable text. */
    String push(long[] completion) {
        if (tokenizer == null) {
            return "";
        }
        String full = tokenizer.decode(completion);
        int stopAt = -1;
        for (String s : stops) {
            int i = full.indexOf(s);
            if (i >= 0 && (stopAt < 0 || i < stopAt)) {
                stopAt = i;
            }
        }
        if (stopAt >= 0) {
            stopped = true;
            text = full.substring(0, stopAt);
            return flush();
        }
        text = full;
        int safe = full.length() - heldBack(full);
        if (safe <= released) {
            return "";
        }
        String delta = full.substring(released, safe);
        released = safe;
        return delta;
    }

    /** Releases everything not yet released; used when the row ends. */
    String flush() {
        if (released >= text.length()) {
            return "";
        }
        String delta = text.substring(released);
        released = text.length();
        return delta;
    }

    boolean stopped() {
        return stopped;
    }

    String text() {
        return text;
    }

    private int heldBack(String full) {
        int hold = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, full.length()); k > hold; k--) {
                if (full.endsWith(s.substring(0, k))) {
                    hold = k;
                    break;
                }
            }
        }
        int partial = 0;
        while (partial < full.length() && full.charAt(full.length() - 1 - partial) == '\uFFFD') {
            partial++;
        }
        return Math.max(hold, partial);
    }
}
