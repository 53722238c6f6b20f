package org.openledger.studio.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeystoreTest {

    /** Light scrypt for tests about structure and errors; {@link #realCostKeystore} uses the real n = 2^18. */
    static final ScryptParams LIGHT = new ScryptParams(1 << 12, 8, 1);
    static final String ANVIL_KEY_0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private final Keystore keystore = new Keystore(LIGHT, new SecureRandom());

    static PrivateKey anvilKey0() {
        return PrivateKey.parseHex(Secret.of(ANVIL_KEY_0.toCharArray()));
    }

    static Secret password(String p) {
        return Secret.of(p.toCharArray());
    }

    @Test
    void realCostKeystoreIsOwnerOnlyAndOpensAgain(@TempDir Path dir) throws Exception {
        Keystore real = new Keystore(ScryptParams.STANDARD, new SecureRandom());
        Path file = dir.resolve("key.json");
        try (PrivateKey key = anvilKey0()) {
            real.write(file, key, password("correct horse"));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(file.toFile());
        assertEquals(262144, json.at("/crypto/kdfparams/n").asInt());
        assertEquals(3, json.get("version").asInt());
        assertEquals("f39fd6e51aad88f6f4ce6ab8827279cfffb92266", json.get("address").asText());
        try (PrivateKey back = real.read(file, password("correct horse")); PrivateKey original = anvilKey0()) {
            assertArrayEquals(original.bytes(), back.bytes());
        }
    }

    @Test
    void wrongPasswordIsNamedAsSuch() {
        String json;
        try (PrivateKey key = anvilKey0()) {
            json = keystore.encrypt(key, password("right"));
        }
        WrongPasswordException e = assertThrows(WrongPasswordException.class,
                () -> keystore.decrypt(json, password("wrong")));
        assertTrue(e.getMessage().contains("Wrong password"));
    }

    @Test
    void damagedFilesAreReportedAsCorrupt(@TempDir Path dir) throws Exception {
        String json;
        try (PrivateKey key = anvilKey0()) {
            json = keystore.encrypt(key, password("pw"));
        }
        ObjectMapper mapper = new ObjectMapper();
        assertThrows(CorruptKeystoreException.class, () -> keystore.decrypt("{not json", password("pw")));
        assertThrows(CorruptKeystoreException.class, () -> keystore.decrypt("[]", password("pw")));

        ObjectNode noMac = (ObjectNode) mapper.readTree(json);
        ((ObjectNode) noMac.get("crypto")).remove("mac");
        CorruptKeystoreException missing = assertThrows(CorruptKeystoreException.class,
                () -> keystore.decrypt(noMac.toString(), password("pw")));
        assertTrue(missing.getMessage().contains("'mac'"), missing.getMessage());

        ObjectNode otherCipher = (ObjectNode) mapper.readTree(json);
        ((ObjectNode) otherCipher.get("crypto")).put("cipher", "aes-256-gcm");
        assertThrows(CorruptKeystoreException.class, () -> keystore.decrypt(otherCipher.toString(), password("pw")));

        ObjectNode lied = (ObjectNode) mapper.readTree(json);
        lied.put("address", "70997970c51812dc3a010c7d01b50e0d17dc79c8");
        assertThrows(CorruptKeystoreException.class, () -> keystore.decrypt(lied.toString(), password("pw")));

        ObjectNode flipped = (ObjectNode) mapper.readTree(json);
        String ct = flipped.at("/crypto/ciphertext").asText();
        ((ObjectNode) flipped.get("crypto")).put("ciphertext", (ct.charAt(0) == '0' ? "1" : "0") + ct.substring(1));
        // a changed ciphertext no longer matches the MAC: indistinguishable from a wrong password by design
        assertThrows(WrongPasswordException.class, () -> keystore.decrypt(flipped.toString(), password("pw")));

        ObjectNode hugeN = (ObjectNode) mapper.readTree(json);
        ((ObjectNode) hugeN.at("/crypto/kdfparams")).put("n", 1 << 30);
        assertThrows(CorruptKeystoreException.class, () -> keystore.decrypt(hugeN.toString(), password("pw")));

        assertThrows(CorruptKeystoreException.class, () -> keystore.read(dir.resolve("absent.json"), password("pw")));
        assertEquals("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", Keystore.declaredAddress(json).toString());
    }

    @Test
    void unicodePasswordsWork() {
        try (PrivateKey key = anvilKey0()) {
            String json = keystore.encrypt(key, password("pässwörd 🔑"));
            try (PrivateKey back = keystore.decrypt(json, password("pässwörd 🔑"))) {
                assertEquals(key.address(), back.address());
            }
        }
    }
}
