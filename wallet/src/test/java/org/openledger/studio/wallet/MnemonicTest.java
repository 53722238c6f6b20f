package org.openledger.studio.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BIP39 against the published English vectors of trezor/python-mnemonic (passphrase "TREZOR"): entropy -> words,
 * words -> checksum-valid, words -> seed.
 */
class MnemonicTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void publishedVectorsGiveTheirWordsAndSeeds() throws IOException {
        List<String> lines = vectors();
        assertEquals(24, lines.size());
        for (String line : lines) {
            String[] v = line.split("\\|");
            if (!v[0].equals("-")) {
                try (Mnemonic m = Mnemonic.fromEntropy(HEX.parseHex(v[0]))) {
                    assertEquals(v[1], new String(m.phrase()), "entropy " + v[0]);
                }
            }
            try (Mnemonic m = Mnemonic.parse(Secret.of(v[1].toCharArray()))) {
                assertEquals(v[2], HEX.formatHex(m.seed(Secret.of("TREZOR".toCharArray()))), v[1]);
                try (Mnemonic again = Mnemonic.fromEntropy(m.entropy())) {
                    assertEquals(v[1], new String(again.phrase()));
                }
            }
        }
    }

    @Test
    void theWordListIsTheOfficialOne() throws Exception {
        try (InputStream in = Mnemonic.class.getResourceAsStream("bip39-english.txt")) {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            // sha256 of bitcoin/bips bip-0039/english.txt
            assertEquals("2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda", HEX.formatHex(sha));
        }
    }

    @Test
    void newPhrasesHave24WordsAndDiffer() {
        SecureRandom random = new SecureRandom();
        try (Mnemonic a = Mnemonic.generate(random); Mnemonic b = Mnemonic.generate(random)) {
            assertEquals(24, a.size());
            assertEquals(24, new String(a.phrase()).split(" ").length);
            assertNotEquals(new String(a.phrase()), new String(b.phrase()));
            try (Mnemonic parsed = Mnemonic.parse(Secret.of(a.phrase()))) {
                assertArrayEquals(a.entropy(), parsed.entropy());
            }
        }
    }

    @Test
    void sloppyTypingIsAccepted() {
        String typed = "  Abandon abandon\tabandon abandon abandon abandon\n abandon abandon abandon abandon abandon ABOUT ";
        try (Mnemonic m = Mnemonic.parse(Secret.of(typed.toCharArray()))) {
            assertEquals(12, m.size());
            assertArrayEquals(new byte[16], m.entropy());
        }
    }

    @Test
    void badPhrasesAreRejectedWithTheReason() {
        InvalidMnemonicException checksum = assertThrows(InvalidMnemonicException.class, () -> Mnemonic.parse(
                Secret.of("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon"
                        .toCharArray())));
        assertTrue(checksum.getMessage().contains("checksum"), checksum.getMessage());

        InvalidMnemonicException word = assertThrows(InvalidMnemonicException.class, () -> Mnemonic.parse(
                Secret.of("abandon abandon abandon abandon abandon abandonn abandon abandon abandon abandon abandon about"
                        .toCharArray())));
        assertTrue(word.getMessage().contains("Word 6"), word.getMessage());
        assertFalse(word.getMessage().contains("abandonn"), "the message must not repeat the phrase");

        InvalidMnemonicException count = assertThrows(InvalidMnemonicException.class,
                () -> Mnemonic.parse(Secret.of("abandon abandon about".toCharArray())));
        assertTrue(count.getMessage().contains("3"), count.getMessage());
    }

    @Test
    void confirmationAsksWordsBack() {
        String phrase = "legal winner thank year wave sausage worth useful legal winner thank yellow";
        try (Mnemonic m = Mnemonic.parse(Secret.of(phrase.toCharArray()))) {
            assertTrue(m.wordAt(3, Secret.of("thank".toCharArray())));
            assertTrue(m.wordAt(12, Secret.of(" Yellow ".toCharArray())));
            assertFalse(m.wordAt(3, Secret.of("year".toCharArray())));
            assertThrows(IllegalArgumentException.class, () -> m.wordAt(13, Secret.of("x".toCharArray())));
        }
    }

    @Test
    void wipedPhrasesCannotBeUsedAndHideTheirWords() {
        Mnemonic m = Mnemonic.fromEntropy(new byte[32]);
        assertFalse(m.toString().contains("abandon"));
        m.close();
        assertThrows(IllegalStateException.class, m::phrase);
        char[] typed = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
                .toCharArray();
        Secret s = Secret.of(typed);
        s.close();
        assertEquals(0, new String(typed).replace("\0", "").length(), "closing a secret wipes the caller's array");
    }

    private static List<String> vectors() throws IOException {
        try (InputStream in = MnemonicTest.class.getResourceAsStream("bip39-trezor-vectors.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
