package org.openledger.studio.app.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.app.Launcher;
import org.openledger.studio.app.cli.StudioCommand;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.chain.FoundryTools;

/**
 * {@code studio wallet ...} as a script runs it: real child processes, checked against foundry's {@code cast} (the
 * independent implementation) and against published vectors; every bad input is one stderr line and exit code 1.
 */
class WalletCommandLineTest {

    /** Anvil's well-known test phrase and its first two accounts (published by foundry/hardhat). */
    private static final String TEST_PHRASE = "test test test test test test test test test test test junk";
    private static final String KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private static final String KEY_ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    private static final String TO = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

    @TempDir
    static Path shared;
    static Path keystoreFile;
    static Path password;

    @TempDir
    Path dir;

    @BeforeAll
    static void keystoreOfAKnownKey() throws IOException {
        password = Files.writeString(shared.resolve("password"), "correct horse\n");
        keystoreFile = shared.resolve("key.json");
        // light scrypt to keep the test fast; the CLI reads the cost from the file, as for any geth/cast keystore
        Keystore light = new Keystore(new ScryptParams(1 << 12, 8, 1), new SecureRandom());
        try (PrivateKey k = PrivateKey.parseHex(Secret.of(KEY.toCharArray()));
             Secret p = Secret.of("correct horse".toCharArray())) {
            light.write(keystoreFile, k, p);
        }
    }

    @Test
    void addressFollowsBip44AndPrintsEip55() throws Exception {
        Path phrase = Files.writeString(dir.resolve("phrase"), TEST_PHRASE + "\n");
        assertEquals("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
                ok("wallet", "address", "--mnemonic-file", phrase.toString()));
        assertEquals("0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                ok("wallet", "address", "--mnemonic-file", phrase.toString(), "--index", "1"));
        assertEquals(cast("wallet", "address", "--mnemonic", TEST_PHRASE, "--mnemonic-index", "7"),
                ok("wallet", "address", "--mnemonic-file", phrase.toString(), "--index", "7"));

        Path bad = Files.writeString(dir.resolve("bad"), "test test test test test test test test test test test "
                + "test\n");
        oneLineError(run("wallet", "address", "--mnemonic-file", bad.toString()), "checksum");
        oneLineError(run("wallet", "address", "--mnemonic-file", dir.resolve("missing").toString()), "does not exist");
    }

    @Test
    void signTxIsByteIdenticalToCastMktx() throws Exception {
        List<String[]> cases = List.of(
                new String[] {"31337", "0", "1", "0x", "21000", "2000000000", "1000000000"},
                new String[] {"161201", "1234", "1000000000000000000000",
                        "0xa9059cbb000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"
                                + "0000000000000000000000000000000000000000000000000de0b6b3a7640000",
                        "65000", "300000000000", "0"},
                new String[] {"1612", "70000", "0", "0x00", "30000000", "7", "7"});
        for (String[] c : cases) {
            String ours = ok("wallet", "sign-tx", "--keystore", keystoreFile.toString(), "--password-file",
                    password.toString(), "--chain-id", c[0], "--nonce", c[1], "--to", TO, "--value", c[2],
                    "--data", c[3], "--gas", c[4], "--max-fee", c[5], "--priority-fee", c[6]);
            String theirs = cast("mktx", "--private-key", KEY, "--chain", c[0], "--nonce", c[1], "--gas-limit", c[4],
                    "--gas-price", c[5], "--priority-gas-price", c[6], "--value", c[2], TO, c[3]);
            assertEquals(theirs, ours, "chain " + c[0]);
        }
    }

    @Test
    void asAChildProcessTheRawTransactionIsStdoutAndAWrongPasswordIsOneLineExit1() throws Exception {
        String[] args = {"wallet", "sign-tx", "--keystore", keystoreFile.toString(), "--password-file",
                password.toString(), "--chain-id", "31337", "--nonce", "5", "--to", TO, "--value", "10", "--gas",
                "21000", "--max-fee", "3000000000", "--priority-fee", "1000000000"};
        StudioRun signed = process(args);
        assertEquals(0, signed.code, signed.err);
        assertEquals(cast("mktx", "--private-key", KEY, "--chain", "31337", "--nonce", "5", "--gas-limit", "21000",
                "--gas-price", "3000000000", "--priority-gas-price", "1000000000", "--value", "10", TO, "0x") + "\n",
                signed.out);
        args[5] = Files.writeString(dir.resolve("wrong"), "nope").toString();
        oneLineError(process(args), "password");
    }

    @Test
    void signTypedDataMatchesCastWalletSign() throws Exception {
        Path file = Files.writeString(dir.resolve("permit.json"), """
                {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                "Permit":[{"name":"owner","type":"address"},{"name":"spender","type":"address"},
                {"name":"value","type":"uint256"},{"name":"nonce","type":"uint256"},{"name":"deadline","type":"uint256"}]},
                "primaryType":"Permit","domain":{"name":"OpenLedger","version":"1","chainId":31337,
                "verifyingContract":"0x5FbDB2315678afecb367f032d93F642f64180aa3"},
                "message":{"owner":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                "spender":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC","value":"1000","nonce":"0","deadline":"1900000000"}}
                """);
        String ours = ok("wallet", "sign-typed-data", "--keystore", keystoreFile.toString(), "--password-file",
                password.toString(), file.toString());
        assertEquals(cast("wallet", "sign", "--private-key", KEY, "--data", "--from-file", file.toString()), ours);

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"types\":{}}");
        oneLineError(run("wallet", "sign-typed-data", "--keystore", keystoreFile.toString(), "--password-file",
                password.toString(), broken.toString()), "EIP-712");
    }

    @Test
    void badInputsAreOneLineAndExitCode1() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong"), "battery staple\n");
        Path corrupt = Files.writeString(dir.resolve("corrupt.json"),
                Files.readString(keystoreFile).replaceFirst("\"ciphertext\"\\s*:\\s*\"[0-9a-f]{4}",
                        "\"ciphertext\":\"ffff"));
        Path notJson = Files.writeString(dir.resolve("notjson.json"), "hello");
        List<String> common = List.of("--chain-id", "31337", "--nonce", "0", "--gas", "21000", "--max-fee", "10",
                "--priority-fee", "1");
        oneLineError(signTx(keystoreFile, wrong, TO, common), "password");
        oneLineError(signTx(corrupt, password, TO, common), "");
        oneLineError(signTx(notJson, password, TO, common), "");
        oneLineError(signTx(keystoreFile, password, "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bC", common),
                "checksum");
        oneLineError(signTx(keystoreFile, password, "0x1234", common), "address");
        List<String> badHex = new ArrayList<>(common);
        badHex.addAll(List.of("--data", "0xzz"));
        oneLineError(signTx(keystoreFile, password, TO, badHex), "--data");
        List<String> badGas = List.of("--chain-id", "31337", "--nonce", "0", "--gas", "20000", "--max-fee", "10",
                "--priority-fee", "1");
        oneLineError(signTx(keystoreFile, password, TO, badGas), "gas limit");
        List<String> badNonce = List.of("--chain-id", "31337", "--nonce", "-1", "--gas", "21000", "--max-fee", "10",
                "--priority-fee", "1");
        oneLineError(signTx(keystoreFile, password, TO, badNonce), "--nonce");
    }

    @Test
    void newImportAndListKeepKeysInTheStudioDataFolder() throws Exception {
        Path home = dir.resolve("home");
        Path pw = Files.writeString(dir.resolve("pw"), "a long wallet password\n");
        List<String> created = ok("wallet", "new", "--home", home.toString(), "--password-file", pw.toString())
                .lines().toList();
        assertEquals(3, created.size(), created.toString());
        String phrase = created.get(1);
        assertEquals(24, phrase.split(" ").length);
        String first = created.get(2);
        Path phraseFile = Files.writeString(dir.resolve("phrase"), phrase);
        assertEquals(first, ok("wallet", "address", "--mnemonic-file", phraseFile.toString()),
                "the printed phrase restores the printed address");
        assertEquals(cast("wallet", "address", "--mnemonic", phrase), first, "cast derives the same address");

        Path keyFile = Files.writeString(dir.resolve("key"), KEY + "\n");
        assertEquals(KEY_ADDRESS, ok("wallet", "import", "--home", home.toString(), "--password-file", pw.toString(),
                "--private-key-file", keyFile.toString(), "--label", "ops"));
        // as a user should once it is imported: the plaintext key file goes (and the suite's secret scan sees none)
        Files.delete(keyFile);
        assertEquals(TO, ok("wallet", "import", "--home", home.toString(), "--watch", TO));
        oneLineError(run("wallet", "import", "--home", home.toString(), "--password-file", password.toString(),
                "--keystore", keystoreFile.toString()), "already");
        oneLineError(run("wallet", "new", "--home", home.toString(), "--password-file", pw.toString()),
                "already has a recovery phrase");

        List<String> listed = ok("wallet", "list", "--home", home.toString()).lines().toList();
        assertEquals(3, listed.size(), listed.toString());
        assertEquals(first + "  hd  m/44'/60'/0'/0/0  Account 1", listed.get(0));
        assertEquals(KEY_ADDRESS + "  imported  -  ops", listed.get(1));
        assertEquals(TO + "  watch-only  -", listed.get(2).stripTrailing());

        Path wallet = home.resolve("data").resolve("wallet");
        try (Stream<Path> files = Files.walk(wallet)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                        Files.getPosixFilePermissions(f), f.toString());
                String text = Files.readString(f);
                assertFalse(text.contains(phrase.split(" ")[0] + " " + phrase.split(" ")[1] + " "
                        + phrase.split(" ")[2]), "the phrase is never stored in clear: " + f);
                assertFalse(text.contains(KEY.substring(2)), "the key is never stored in clear: " + f);
            }
        }
    }

    private static StudioRun signTx(Path keystore, Path pw, String to, List<String> rest) throws Exception {
        List<String> args = new ArrayList<>(List.of("wallet", "sign-tx", "--keystore", keystore.toString(),
                "--password-file", pw.toString(), "--to", to));
        args.addAll(rest);
        return run(args.toArray(String[]::new));
    }

    private static void oneLineError(StudioRun r, String mentions) {
        assertEquals(1, r.code, "exit code; stdout=" + r.out + " stderr=" + r.err);
        List<String> lines = r.err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one stderr line: " + r.err);
        assertTrue(lines.get(0).toLowerCase().contains(mentions.toLowerCase()), lines.get(0));
        assertFalse(lines.get(0).contains("Exception"), lines.get(0));
        assertTrue(r.out.isBlank(), "nothing on stdout: " + r.out);
    }

    private record StudioRun(int code, String out, String err) {
    }

    private String ok(String... args) {
        StudioRun r = run(args);
        assertEquals(0, r.code, String.join(" ", args) + "\n" + r.err);
        return r.out.strip();
    }

    /** The CLI in this JVM (parser, command, error handler and exit code exactly as {@code studio} runs them). */
    private static StudioRun run(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = StudioCommand.commandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        int code = cl.execute(args);
        return new StudioRun(code, out.toString(), err.toString());
    }

    /** {@code studio ...} as a child JVM, as a user's shell runs it. */
    private static StudioRun process(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dstudio.log.level=WARN", "-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    private static String cast(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(FoundryTools.fromEnvironment().requireCast().toString()));
        cmd.addAll(List.of(args));
        StudioRun r = exec(cmd);
        assertEquals(0, r.code, "cast " + String.join(" ", args) + ": " + r.err);
        return r.out.strip();
    }

    private static StudioRun exec(List<String> cmd) throws Exception {
        Path out = Files.createTempFile("wallet-cli", ".out");
        Path err = Files.createTempFile("wallet-cli", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd + " did not finish");
            }
            return new StudioRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
