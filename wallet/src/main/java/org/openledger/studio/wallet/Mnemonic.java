package org.openledger.studio.wallet;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A BIP39 recovery phrase (English list). It is held as word indices in a wipeable {@code int[]}; the phrase text is
 * produced on demand as a {@code char[]} for display and wiped by the caller. {@link #close()} wipes the indices.
 */
public final class Mnemonic implements AutoCloseable {

    /** The size new wallets use: 24 words = 256 bits of entropy + 8 checksum bits. */
    public static final int WORDS = 24;

    private final int[] indices;
    private boolean wiped;

    private Mnemonic(int[] indices) {
        this.indices = indices;
    }

    /** A new random 24-word phrase. */
    public static Mnemonic generate(SecureRandom random) {
        byte[] entropy = new byte[32];
        random.nextBytes(entropy);
        try {
            return fromEntropy(entropy);
        } finally {
            Secret.wipe(entropy);
        }
    }

    /** The phrase for 16, 20, 24, 28 or 32 bytes of entropy (12 to 24 words). */
    public static Mnemonic fromEntropy(byte[] entropy) {
        int entBits = entropy.length * 8;
        if (entBits < 128 || entBits > 256 || entBits % 32 != 0) {
            throw new IllegalArgumentException("BIP39 entropy is 16, 20, 24, 28 or 32 bytes, got " + entropy.length);
        }
        int csBits = entBits / 32;
        byte[] hash = sha256(entropy);
        int count = (entBits + csBits) / 11;
        int[] idx = new int[count];
        for (int w = 0; w < count; w++) {
            int v = 0;
            for (int b = 0; b < 11; b++) {
                int bit = w * 11 + b;
                v = (v << 1) | bit(bit < entBits ? entropy : hash, bit < entBits ? bit : bit - entBits);
            }
            idx[w] = v;
        }
        Secret.wipe(hash);
        return new Mnemonic(idx);
    }

    /**
     * Reads a phrase typed or pasted by the user: words separated by any white space, any letter case.
     *
     * @throws InvalidMnemonicException naming the word position that is wrong, or the checksum failure; the message
     *                                  never repeats the phrase's words
     */
    public static Mnemonic parse(Secret phrase) {
        char[] c = phrase.chars();
        int[] found = new int[c.length / 2 + 1];
        int count = 0;
        int i = 0;
        try {
            while (i < c.length) {
                while (i < c.length && Character.isWhitespace(c[i])) {
                    i++;
                }
                if (i == c.length) {
                    break;
                }
                int start = i;
                while (i < c.length && !Character.isWhitespace(c[i])) {
                    i++;
                }
                int index = Wordlist.ENGLISH.indexOf(c, start, i);
                if (index < 0) {
                    throw new InvalidMnemonicException("Word " + (count + 1)
                            + " of the recovery phrase is not in the BIP39 English word list; check its spelling");
                }
                found[count++] = index;
            }
            if (count != 12 && count != 15 && count != 18 && count != 21 && count != 24) {
                throw new InvalidMnemonicException("A recovery phrase has 12, 15, 18, 21 or 24 words; this one has "
                        + count);
            }
            int[] idx = Arrays.copyOf(found, count);
            Mnemonic m = new Mnemonic(idx);
            byte[] entropy = m.entropyUnchecked();
            try {
                Mnemonic check = fromEntropy(entropy);
                boolean same = Arrays.equals(check.indices, idx);
                check.close();
                if (!same) {
                    m.close();
                    throw new InvalidMnemonicException("The recovery phrase's checksum does not match: a word is wrong "
                            + "or the words are out of order (every word is in the list)");
                }
            } finally {
                Secret.wipe(entropy);
            }
            return m;
        } finally {
            Arrays.fill(found, 0);
        }
    }

    public int size() {
        ensureAlive();
        return indices.length;
    }

    /** The entropy the phrase encodes; the caller must wipe it. */
    public byte[] entropy() {
        ensureAlive();
        return entropyUnchecked();
    }

    private byte[] entropyUnchecked() {
        int totalBits = indices.length * 11;
        int entBits = totalBits * 32 / 33;
        byte[] out = new byte[entBits / 8];
        for (int bit = 0; bit < entBits; bit++) {
            int word = indices[bit / 11];
            int v = (word >> (10 - bit % 11)) & 1;
            out[bit / 8] |= (byte) (v << (7 - bit % 8));
        }
        return out;
    }

    /** The phrase as words separated by single spaces; the caller must wipe it. */
    public char[] phrase() {
        ensureAlive();
        int length = indices.length - 1;
        for (int index : indices) {
            length += Wordlist.ENGLISH.word(index).length();
        }
        char[] out = new char[length];
        int p = 0;
        for (int w = 0; w < indices.length; w++) {
            if (w > 0) {
                out[p++] = ' ';
            }
            String word = Wordlist.ENGLISH.word(indices[w]);
            word.getChars(0, word.length(), out, p);
            p += word.length();
        }
        return out;
    }

    /** Whether {@code candidate} is word number {@code position} (1-based): the "confirm your phrase" check. */
    public boolean wordAt(int position, Secret candidate) {
        ensureAlive();
        if (position < 1 || position > indices.length) {
            throw new IllegalArgumentException("A phrase of " + indices.length + " words has no word " + position);
        }
        char[] c = candidate.chars();
        int start = 0;
        int end = c.length;
        while (start < end && Character.isWhitespace(c[start])) {
            start++;
        }
        while (end > start && Character.isWhitespace(c[end - 1])) {
            end--;
        }
        return Wordlist.ENGLISH.indexOf(c, start, end) == indices[position - 1];
    }

    /**
     * The 64-byte BIP39 seed: PBKDF2-HMAC-SHA512, 2048 rounds, password = the phrase, salt = "mnemonic" + passphrase
     * (both NFKD). The caller must wipe it. English words are already NFKD; a non-ASCII passphrase is normalised,
     * which briefly makes it a String (the JDK normaliser knows no other way).
     */
    public byte[] seed(Secret passphrase) {
        char[] phrase = phrase();
        byte[] password = null;
        byte[] salt = null;
        try (Secret p = Secret.of(phrase)) {
            password = p.utf8();
            salt = salt(passphrase);
            PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA512Digest());
            generator.init(password, salt, 2048);
            return ((KeyParameter) generator.generateDerivedParameters(512)).getKey();
        } finally {
            Secret.wipe(password);
            Secret.wipe(salt);
        }
    }

    private static byte[] salt(Secret passphrase) {
        char[] pass = passphrase == null ? new char[0] : passphrase.chars();
        boolean ascii = true;
        for (char ch : pass) {
            ascii &= ch < 0x80;
        }
        char[] normalised = ascii ? pass : Normalizer.normalize(java.nio.CharBuffer.wrap(pass), Normalizer.Form.NFKD)
                .toCharArray();
        char[] salt = new char[8 + normalised.length];
        "mnemonic".getChars(0, 8, salt, 0);
        System.arraycopy(normalised, 0, salt, 8, normalised.length);
        if (!ascii) {
            Secret.wipe(normalised);
        }
        try (Secret s = Secret.of(salt)) {
            return s.utf8();
        }
    }

    @Override
    public void close() {
        Arrays.fill(indices, 0);
        wiped = true;
    }

    private void ensureAlive() {
        if (wiped) {
            throw new IllegalStateException("this recovery phrase was already wiped");
        }
    }

    @Override
    public String toString() {
        return "Mnemonic[" + indices.length + " words, hidden]";
    }

    private static int bit(byte[] data, int bit) {
        return (data[bit / 8] >> (7 - bit % 8)) & 1;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
