package org.openledger.studio.datanet.ingest;

import java.text.Normalizer;

/**
 * Makes equal-looking text equal: Unicode NFC (so "é" typed two ways hashes the same), line breaks as {@code \n},
 * runs of spaces and tabs as one space, no trailing spaces, at most one blank line in a row, control characters
 * dropped, and no leading or trailing blank space. Row hashes are taken over this form.
 */
public final class TextNormaliser {

    public String normalise(CharSequence raw) {
        String s = Normalizer.normalize(raw, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(s.length());
        int newlines = 0;
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    continue;
                }
                c = '\n';
            }
            if (c == '\n' || c == '\u2028' || c == '\u2029') {
                newlines++;
                space = false;
                continue;
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = true;
                continue;
            }
            if (Character.isISOControl(c) || (c >= '\u200b' && c <= '\u200d') || c == '\ufeff') {
                continue;
            }
            if (out.length() > 0) {
                if (newlines > 0) {
                    out.append(newlines > 1 ? "\n\n" : "\n");
                } else if (space) {
                    out.append(' ');
                }
            }
            newlines = 0;
            space = false;
            out.append(c);
        }
        return out.toString();
    }
}
