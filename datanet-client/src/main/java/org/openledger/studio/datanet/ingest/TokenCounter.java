package org.openledger.studio.datanet.ingest;

/**
 * Counts tokens for the chunk budget. The default counts words and punctuation marks, which tracks a BPE
 * tokenizer's count within a small factor; a real tokenizer can be plugged in where the model is known.
 */
@FunctionalInterface
public interface TokenCounter {

    int count(CharSequence text);

    /** Letter/digit runs count one each, every other visible character counts one. */
    TokenCounter WORDS = text -> {
        int n = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                if (!inWord) {
                    n++;
                    inWord = true;
                }
            } else {
                inWord = false;
                if (!Character.isWhitespace(c)) {
                    n++;
                }
            }
        }
        return n;
    };
}
