package org.openledger.studio.daemon.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.app.StudioProcess;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.WalletException;
import org.openledger.studio.wallet.chain.FoundryTools;

/**
 * The operator key of a remote chain, given as a scrypt keystore: nothing the node writes holds the key or the
 * password in clear, the password is wiped once the key is open, the key once the wallet took it in, and the node
 * still signs as the operator (a real token transfer on a real anvil).
 */
class OperatorKeyTest {

    // anvil's first account (the devnet's deployer, holding OPERATOR_ROLE): a published test key
    private static final String OPERATOR_KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private static final String OPERATOR_PASSWORD = "operator-keystore-test-password-4711";
    private static final String BOB = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    @TempDir
    Path dir;

    private Path keystore(Path file) throws Exception {
        try (PrivateKey key = PrivateKey.parseHex(Secret.of(OPERATOR_KEY.toCharArray()));
             Secret password = Secret.of(OPERATOR_PASSWORD.toCharArray())) {
            new Keystore(new ScryptParams(1 << 14, 8, 1), new SecureRandom()).write(file, key, password);
        }
        return file;
    }

    @Test
    void theNodeSignsWithTheKeystoreKeyAndKeepsNeitherKeyNorPasswordInClear() throws Exception {
        Path file = keystore(dir.resolve("operator.json"));
        String json = Files.readString(file);
        var parsed = org.openledger.studio.api.Wire.mapper().readTree(json);
        assertEquals(3, parsed.path("version").asInt(), json);
        assertEquals("scrypt", parsed.path("crypto").path("kdf").asText(), json);

        // a devnet gives the chain and its contracts; the node under test sees it as a remote chain
        Path devnetFolder = dir.resolve("devnet");
        try (ChainService devnet = ChainService.localDevnet(FoundryTools.fromEnvironment(), devnetFolder)) {
            ChainInfo started = devnet.awaitStarted(Duration.ofMinutes(5));
            assertEquals(ChainInfo.READY, started.status(), String.valueOf(started.error()));
            Path chainFolder = dir.resolve("node").resolve("chain");
            Files.createDirectories(chainFolder);
            Files.copy(devnetFolder.resolve("deployment.json"), chainFolder.resolve("deployment.json"));

            Secret password = Secret.of(OPERATOR_PASSWORD.toCharArray());
            OperatorKey key = OperatorKey.open(file, password);
            assertTrue(password.isWiped(), "the password is wiped once the key is open");
            assertEquals("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", key.address().lowercase());

            try (ChainService remote = ChainService.remote(started.rpcUrl(), 31337, chainFolder, key)) {
                assertEquals(ChainInfo.READY, remote.awaitStarted(Duration.ofMinutes(2)).status());
                assertTrue(remote.noOperatorKey().isEmpty(), String.valueOf(remote.noOperatorKey()));
                assertTrue(key.key().isWiped(), "the given key is wiped once the wallet took it in");

                BigInteger before = remote.asOperator(e -> e.token().balanceOf(BOB).send());
                remote.asOperator(e -> e.token().transfer(BOB, BigInteger.valueOf(5)).send());
                assertEquals(before.add(BigInteger.valueOf(5)), remote.asOperator(e -> e.token().balanceOf(BOB)
                        .send()), "the transfer was signed by the operator and mined");
            }

            // nothing on disk holds the key or the password in clear: the keystore, the node's data
            List<String> hits = new ArrayList<>();
            try (Stream<Path> files = Stream.concat(Stream.of(file), Files.walk(dir.resolve("node")))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
                            .toLowerCase(Locale.ROOT);
                    if (text.contains(OPERATOR_KEY) || text.contains(OPERATOR_PASSWORD)) {
                        hits.add(f.toString());
                    }
                }
            }
            assertEquals(List.of(), hits);
            // the node's copy of the key is encrypted too, and not under the operator's password
            try (Stream<Path> files = Files.walk(chainFolder.resolve("operator"))) {
                List<Path> keystores = files.filter(p -> p.toString().endsWith(".json"))
                        .filter(p -> {
                            try {
                                return Files.readString(p).contains("\"crypto\"");
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }).toList();
                assertEquals(1, keystores.size(), keystores.toString());
                assertNotEquals(json, Files.readString(keystores.get(0)));
                assertThrows(WalletException.class, () -> new Keystore(ScryptParams.STANDARD, new SecureRandom())
                        .read(keystores.get(0), Secret.of(OPERATOR_PASSWORD.toCharArray())));
            }
        }
    }

    @Test
    void withoutAKeyTheNodeSaysHowToGiveOneAndBadKeystoresAreRefused() throws Exception {
        try (ChainService remote = ChainService.remote("http://127.0.0.1:1", 31337, dir.resolve("c"))) {
            assertTrue(remote.noOperatorKey().orElseThrow().contains("--operator-keystore"));
        }
        Path file = keystore(dir.resolve("operator.json"));
        WalletException wrong = assertThrows(WalletException.class,
                () -> OperatorKey.open(file, Secret.of("not-it".toCharArray())));
        assertTrue(wrong.getMessage().toLowerCase(Locale.ROOT).contains("password"), wrong.getMessage());
        Path v1 = Files.writeString(dir.resolve("v1.json"), "{\"version\":1}");
        assertTrue(assertThrows(WalletException.class, () -> OperatorKey.open(v1, Secret.of("x".toCharArray())))
                .getMessage().contains("not a keystore v3"));
        Path pbkdf2 = Files.writeString(dir.resolve("pbkdf2.json"), json(file).replace("\"scrypt\"", "\"pbkdf2\""));
        assertTrue(assertThrows(WalletException.class, () -> OperatorKey.open(pbkdf2, Secret.of("x".toCharArray())))
                .getMessage().contains("it must use scrypt"));

        // the CLI: one line, non-zero, before anything starts
        Path pw = Files.writeString(dir.resolve("pw"), "wrong-password\n");
        StudioProcess.Result cli = StudioProcess.run(dir, "daemon", "--no-model", "--port", "0", "--data-dir",
                dir.resolve("node").toString(), "--rpc-url", "http://127.0.0.1:1", "--chain-id", "31337",
                "--operator-keystore", file.toString(), "--operator-password-file", pw.toString());
        assertNotEquals(0, cli.code());
        assertEquals(1, cli.errLines().size(), cli.err());
        assertTrue(cli.errLines().get(0).contains("--operator-keystore"), cli.err());
        StudioProcess.Result devnet = StudioProcess.run(dir, "daemon", "--no-model", "--port", "0", "--data-dir",
                dir.resolve("node").toString(), "--operator-keystore", file.toString(), "--operator-password-file",
                pw.toString());
        assertNotEquals(0, devnet.code());
        assertTrue(devnet.errLines().get(0).contains("is for a chain given with --rpc-url"), devnet.err());
    }

    private static String json(Path file) throws java.io.IOException {
        return Files.readString(file);
    }
}
