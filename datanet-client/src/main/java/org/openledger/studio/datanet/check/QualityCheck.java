package org.openledger.studio.datanet.check;

import java.util.ArrayList;
import java.util.List;

/** Rows that would waste a stake: too short, mostly not text, or text damaged by a wrong encoding somewhere upstream. */
public final class QualityCheck {

    private final QualitySettings settings;

    public QualityCheck(QualitySettings settings) {
        this.settings = settings;
    }

    public List<Finding> check(String text) {
        List<Finding> out = new ArrayList<>(1);
        int words = 0;
        int letters = 0;
        int visible = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
            }
            if (!Character.isWhitespace(c)) {
                visible++;
            }
            if (Character.isLetterOrDigit(c)) {
                if (!inWord) {
                    words++;
                    inWord = true;
                }
            } else {
                inWord = false;
            }
        }
        if (words < settings.minWords()) {
            out.add(new Finding(FindingKind.TOO_SHORT, 0, text.length(),
                    words + (words == 1 ? " word" : " words") + ", fewer than " + settings.minWords()));
        }
        if (visible > 0 && letters < settings.minLetterShare() * visible) {
            out.add(new Finding(FindingKind.MOSTLY_NON_TEXT, 0, text.length(),
                    Math.round(100.0 * letters / visible) + "% letters"));
        }
        int broken = brokenEncoding(text);
        if (broken >= 0) {
            out.add(new Finding(FindingKind.BROKEN_ENCODING, broken, Math.min(text.length(), broken + 2),
                    text.charAt(broken) == '\uFFFD' ? "replacement characters (\uFFFD): bytes were lost in decoding"
                            : "mojibake such as \"" + text.substring(broken, Math.min(text.length(), broken + 2))
                            + "\": UTF-8 read as Latin-1 or Windows-1252"));
        }
        return out;
    }

    /** Index of the first U+FFFD or of a UTF-8-read-as-Latin-1 pair such as "Ã©" or "â€", else -1. */
    private static int brokenEncoding(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFFFD') {
                return i;
            }
            if (i + 1 < text.length()) {
                char d = text.charAt(i + 1);
                if ((c == '\u00C3' || c == '\u00C2') && d >= '\u0080' && d <= '\u00BF') {
                    return i;
                }
                if (c == '\u00E2' && (d == '\u20AC' || d == '\u0080')) {
                    return i;
                }
            }
        }
        return -1;
    }
}
