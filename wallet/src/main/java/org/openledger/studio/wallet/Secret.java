package org.openledger.studio.wallet;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A password or other typed secret held as a {@code char[]} that can be wiped, never as a {@link String}: strings are
 * immutable and stay in the heap until collected. {@link #close()} wipes; {@link #toString()} never shows the content.
 * The secret owns its array: callers hand it over and must not keep using their copy.
 */
public final class Secret implements AutoCloseable {

    private final char[] chars;
    private boolean wiped;

    private Secret(char[] chars) {
        this.chars = chars;
    }

    /** Takes ownership of {@code chars} (no copy), so that wiping this secret wipes the caller's array too. */
    public static Secret of(char[] chars) {
        if (chars == null) {
            throw new IllegalArgumentException("a secret needs characters, got null");
        }
        return new Secret(chars);
    }

    /** A copy of {@code chars}; the caller stays responsible for wiping its own array. */
    public static Secret copyOf(char[] chars) {
        return of(Arrays.copyOf(chars, chars.length));
    }

    /**
     * Reads a password or phrase file (for scripting: {@code --password-file}, {@code --mnemonic-file}) as UTF-8
     * without creating a String; one trailing line break is dropped, as shells and editors add it.
     *
     * @throws java.io.IOException when the file cannot be read
     * @throws IllegalArgumentException when the file is not UTF-8 text
     */
    public static Secret readFile(java.nio.file.Path file) throws java.io.IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        try {
            java.nio.CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            int end = decoded.limit();
            if (end > 0 && decoded.get(end - 1) == '\n') {
                end--;
            }
            if (end > 0 && decoded.get(end - 1) == '\r') {
                end--;
            }
            char[] chars = new char[end];
            decoded.get(chars, 0, end);
            java.util.Arrays.fill(decoded.array(), '\0');
            return of(chars);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("The file " + file + " is not UTF-8 text", e);
        } finally {
            wipe(bytes);
        }
    }

    /** The characters themselves (not a copy): read them, do not keep them. */
    public char[] chars() {
        ensureAlive();
        return chars;
    }

    public int length() {
        ensureAlive();
        return chars.length;
    }

    public boolean isEmpty() {
        return length() == 0;
    }

    /**
     * The UTF-8 bytes of the secret, which is how keystore v3 (geth, cast, web3j) turns a password into key material.
     * The caller must wipe the returned array.
     */
    public byte[] utf8() {
        ensureAlive();
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.ceil(chars.length * (double) encoder.maxBytesPerChar()));
        try {
            encoder.encode(CharBuffer.wrap(chars), buffer, true);
            encoder.flush(buffer);
        } catch (RuntimeException e) {
            wipe(buffer.array());
            throw e;
        }
        byte[] out = Arrays.copyOf(buffer.array(), buffer.position());
        wipe(buffer.array());
        return out;
    }

    /** Compares without leaking through timing where the secret differs. */
    public boolean sameAs(Secret other) {
        char[] a = chars();
        char[] b = other.chars();
        int diff = a.length ^ b.length;
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            char x = i < a.length ? a[i] : 0;
            char y = i < b.length ? b[i] : 0;
            diff |= x ^ y;
        }
        return diff == 0;
    }

    public boolean isWiped() {
        return wiped;
    }

    /** Overwrites the characters; later use throws. */
    @Override
    public void close() {
        Arrays.fill(chars, '\0');
        wiped = true;
    }

    private void ensureAlive() {
        if (wiped) {
            throw new IllegalStateException("this secret was already wiped");
        }
    }

    @Override
    public String toString() {
        return "Secret[hidden]";
    }

    /** Overwrites a byte buffer that held key material. */
    public static void wipe(byte[] bytes) {
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Overwrites a char buffer that held a secret. */
    public static void wipe(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }

}
