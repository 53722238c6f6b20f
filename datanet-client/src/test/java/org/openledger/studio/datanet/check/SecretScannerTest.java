package org.openledger.studio.datanet.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretScannerTest {

    private final SecretScanner scanner = new SecretScanner();

    private List<FindingKind> kinds(String text) {
        return scanner.scan(text).stream().map(Finding::kind).toList();
    }

    @Test
    void personalDataIsFound() {
        assertEquals(List.of(FindingKind.EMAIL), kinds("write to alice.smith@example.co.uk today"));
        assertEquals(List.of(FindingKind.PHONE_NUMBER), kinds("call +44 20 7946 0958 now"));
        assertEquals(List.of(FindingKind.PHONE_NUMBER), kinds("or (555) 123-4567 after six"));
        assertEquals(List.of(FindingKind.CARD_NUMBER), kinds("paid with 4111 1111 1111 1111 yesterday"));
        assertEquals(List.of(FindingKind.CARD_NUMBER), kinds("card 5555-5555-5555-4444."));
        assertEquals(List.of(FindingKind.IBAN), kinds("send it to GB82 WEST 1234 5698 7654 32 please"));
        assertEquals(List.of(FindingKind.IBAN), kinds("IBAN DE89370400440532013000"));
    }

    @Test
    void secretsAreFound() {
        assertEquals(List.of(FindingKind.PEM_PRIVATE_KEY), kinds("-----BEGIN RSA PRIVATE KEY-----\nMIIEow..."));
        assertEquals(List.of(FindingKind.API_KEY), kinds("aws AKIAIOSFODNN7EXAMPLE in config"));
        assertEquals(List.of(FindingKind.API_KEY), kinds("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked"));
        assertEquals(List.of(FindingKind.API_KEY), kinds("api_key = \"a8f5f167f44f4964e6c998dee827110c\""));
        assertEquals(List.of(FindingKind.ETHEREUM_PRIVATE_KEY),
                kinds("key: 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"));
        assertEquals(List.of(FindingKind.MNEMONIC),
                kinds("my seed: test test test test test test test test test test test junk, keep it safe"));
        assertEquals(List.of(FindingKind.MNEMONIC), kinds("1. abandon 2. abandon 3. abandon 4. abandon 5. abandon "
                + "6. abandon 7. abandon 8. abandon 9. abandon 10. abandon 11. abandon 12. about"));
    }

    @Test
    void findingsNeverContainTheSecretItself() {
        String key = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
        for (Finding f : scanner.scan("k " + key + " card 4111111111111111 mail bob@example.com")) {
            assertFalse(f.detail().contains(key) || f.detail().contains("4111111111111111")
                    || f.detail().contains("bob@"), f.detail());
        }
    }

    @Test
    void ordinaryTextIsNotFlagged() {
        assertEquals(List.of(), kinds("Released on 2024-01-15 with 1234567 downloads and version 3.14.159."));
        assertEquals(List.of(), kinds("tx hash: 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"));
        assertEquals(List.of(), kinds("card-like 4111 1111 1111 1112 fails Luhn"));
        assertEquals(List.of(), kinds("GB82 WEST 1234 5698 7654 33 fails mod 97"));
        assertEquals(List.of(), kinds("the password = changeme_please is a word"));
        // twelve list words whose checksum does not hold are prose, not a wallet
        String words = "about above absent absorb abstract absurd abuse access accident account accuse achieve";
        assertFalse(org.web3j.crypto.MnemonicUtils.validateMnemonic(words));
        assertEquals(List.of(), kinds(words));
    }

    @Test
    void luhnAndMod97AreTheStandardChecks() {
        assertTrue(SecretScanner.luhn("79927398713"));
        assertFalse(SecretScanner.luhn("79927398710"));
        assertTrue(SecretScanner.ibanChecksum("GB82WEST12345698765432"));
        assertFalse(SecretScanner.ibanChecksum("GB82WEST12345698765433"));
    }

    @Test
    void qualityProblemsAreFound() {
        QualityCheck q = new QualityCheck(QualitySettings.DEFAULT);
        assertEquals(List.of(FindingKind.TOO_SHORT), q.check("ok then").stream().map(Finding::kind).toList());
        assertEquals(List.of(FindingKind.MOSTLY_NON_TEXT),
                q.check("12 34 56 78 90 | 11 22 33 44 | 99 88 77 66 ab").stream().map(Finding::kind).toList());
        assertEquals(List.of(FindingKind.BROKEN_ENCODING),
                q.check("the caf\u00c3\u00a9 was open all day long").stream().map(Finding::kind).toList());
        assertEquals(List.of(FindingKind.BROKEN_ENCODING),
                q.check("lost bytes \ufffd here in this sentence").stream().map(Finding::kind).toList());
        assertEquals(List.of(), q.check("A perfectly ordinary sentence about caf\u00e9s."));
    }
}
