package org.openledger.studio.wallet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The BIP39 English word list (2048 words, sorted). Lookups compare characters in place, so the words of a user's
 * recovery phrase never become {@link String}s.
 */
final class Wordlist {

    static final Wordlist ENGLISH = load("bip39-english.txt");

    private final String[] words;

    private Wordlist(String[] words) {
        this.words = words;
    }

    private static Wordlist load(String resource) {
        try (InputStream in = Wordlist.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The BIP39 word list " + resource + " is missing from the wallet jar");
            }
            List<String> list = new ArrayList<>(2048);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank()) {
                    list.add(line.strip());
                }
            }
            if (list.size() != 2048) {
                throw new IllegalStateException("The BIP39 word list has " + list.size() + " words, not 2048");
            }
            return new Wordlist(list.toArray(new String[0]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int size() {
        return words.length;
    }

    String word(int index) {
        return words[index];
    }

    /** The index of {@code chars[from, to)} in the list, or -1; a binary search because the list is sorted. */
    int indexOf(char[] chars, int from, int to) {
        int lo = 0;
        int hi = words.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(words[mid], chars, from, to);
            if (c == 0) {
                return mid;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    private static int compare(String word, char[] chars, int from, int to) {
        int n = Math.min(word.length(), to - from);
        for (int i = 0; i < n; i++) {
            int d = word.charAt(i) - Character.toLowerCase(chars[from + i]);
            if (d != 0) {
                return d;
            }
        }
        return word.length() - (to - from);
    }
}
