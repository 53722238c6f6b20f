package org.openledger.studio.store;

import java.nio.file.Path;

/**
 * The one rule for every id and file name that comes from outside (a request's path, an upload, a node's listing)
 * and may become part of a path: one plain path segment of ASCII letters and digits, then letters, digits, '.',
 * '_', '-' (ids also ':'), with no {@code ..}. The rule is a whitelist, so separators ({@code /}, {@code \}), NUL,
 * drive letters, percent escapes that survived decoding and Unicode look-alikes ({@code ．}, {@code ／}, {@code ⁄})
 * are refused without being named one by one.
 */
public final class PlainName {

    /** Ids (adapters, jobs, uploads, records, Datanets, accounts) are at most this long. */
    public static final int MAX_ID = 128;
    /** File names are at most this long (most file systems allow 255 bytes; these are ASCII). */
    public static final int MAX_FILE_NAME = 255;

    private PlainName() {
    }

    /** An id: letters, digits, '.', '_', '-', ':', starting with a letter or digit, at most {@link #MAX_ID}. */
    public static boolean isId(String value) {
        return problem(value, MAX_ID, true) == null;
    }

    /** A file name: letters, digits, '.', '_', '-', starting with a letter or digit, at most {@link #MAX_FILE_NAME}. */
    public static boolean isFileName(String value) {
        return problem(value, MAX_FILE_NAME, false) == null;
    }

    /** Why {@code value} is not an id, in words for an error message; null when it is one. */
    public static String idProblem(String value) {
        return problem(value, MAX_ID, true);
    }

    /** Why {@code value} is not a file name, in words for an error message; null when it is one. */
    public static String fileNameProblem(String value) {
        return problem(value, MAX_FILE_NAME, false);
    }

    /**
     * {@code dir/name} for a checked file name, proved to stay inside {@code dir} after normalising.
     *
     * @throws IllegalArgumentException naming the problem when {@code name} is not a plain file name
     */
    public static Path resolveIn(Path dir, String name) {
        String why = fileNameProblem(name);
        if (why != null) {
            throw new IllegalArgumentException("'" + printable(name) + "' is not a plain file name: " + why);
        }
        Path base = dir.toAbsolutePath().normalize();
        Path target = base.resolve(name).normalize();
        if (!base.equals(target.getParent())) {
            throw new IllegalArgumentException("'" + name + "' does not name a file inside " + base);
        }
        return target;
    }

    /** {@code value} with control and non-ASCII characters as {@code \\uXXXX}, safe to put in a message or log. */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        int n = Math.min(value.length(), 80);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return value.length() > n ? b.append("...").toString() : b.toString();
    }

    private static String problem(String value, int max, boolean colon) {
        if (value == null || value.isEmpty()) {
            return "it is empty";
        }
        if (value.length() > max) {
            return "it is longer than " + max + " characters";
        }
        if (value.contains("..")) {
            return "it contains '..'";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (i == 0 && !alnum) {
                return "it must start with a letter or digit";
            }
            if (alnum || c == '.' || c == '_' || c == '-' || colon && c == ':') {
                continue;
            }
            if (c == '/' || c == '\\') {
                return "it contains a path separator";
            }
            if (c == 0) {
                return "it contains a NUL character";
            }
            if (c > 0x7e) {
                return "it contains the non-ASCII character U+" + String.format("%04X", (int) c);
            }
            return "it contains '" + (c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c))
                    + "'; use letters, digits, '.', '_', '-'" + (colon ? ", ':'" : "");
        }
        return null;
    }
}
