package org.openledger.studio.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keystore v3 both ways with foundry's cast (a Rust implementation, eth-keystore). */
class KeystoreInteropTest {

    private final Cast cast = new Cast();

    @Test
    void castOpensOurStandardKeystore(@TempDir Path dir) {
        Keystore ours = new Keystore(ScryptParams.STANDARD, new SecureRandom());
        try (PrivateKey key = KeystoreTest.anvilKey0()) {
            ours.write(dir.resolve("mine"), key, Secret.of("s3cret pw".toCharArray()));
        }
        String out = cast.run("wallet", "decrypt-keystore", "mine", "-k", dir.toString(), "--unsafe-password",
                "s3cret pw");
        assertEquals(true, out.endsWith("0x" + KeystoreTest.ANVIL_KEY_0), out);
    }

    @Test
    void weOpenKeystoresCastWrote(@TempDir Path dir) throws Exception {
        String created = cast.run("wallet", "new", dir.toString(), "--unsafe-password", "from cast");
        Matcher file = Pattern.compile("keystore file: (\\S+)").matcher(created);
        Matcher address = Pattern.compile("Address:\\s+(0x[0-9a-fA-F]{40})").matcher(created);
        assertEquals(true, file.find() && address.find(), created);
        Keystore keystore = new Keystore(ScryptParams.STANDARD, new SecureRandom());
        try (PrivateKey key = keystore.read(Path.of(file.group(1)), Secret.of("from cast".toCharArray()))) {
            assertEquals(Address.parse(address.group(1)), key.address());
        }

        cast.run("wallet", "import", "imported", "-k", dir.toString(), "--private-key",
                "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "--unsafe-password", "pw2");
        try (PrivateKey key = keystore.read(dir.resolve("imported"), Secret.of("pw2".toCharArray()))) {
            assertEquals("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
                    HexFormat.of().formatHex(key.bytes()));
            assertEquals("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", key.address().toString());
        }
        assertEquals(true, Files.exists(dir.resolve("imported")));
    }
}
