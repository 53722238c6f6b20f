package org.openledger.studio.gpu.tokenizer;

/**
 * GPT-2's reversible map from the 256 byte values to printable characters, which byte-level BPE uses so that
 * every string, in any script, has a spelling in a 256-symbol base vocabulary (space becomes 'Ġ').
 */
public final class ByteLevelAlphabet {

    private final char[] charOfByte = new char[256];

    public ByteLevelAlphabet() {
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int next = 0;
        for (int b = 0; b < 256; b++) {
            charOfByte[b] = printable[b] ? (char) b : (char) (256 + next++);
        }
    }

    public char charOf(int unsignedByte) {
        return charOfByte[unsignedByte];
    }

    /** Spells UTF-8 bytes as alphabet characters. */
    public String spell(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(charOfByte[b & 0xff]);
        }
        return sb.toString();
    }
}
