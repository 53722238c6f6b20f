package org.openledger.studio.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalletTest {

    private static final String JUNK = "test test test test test test test test test test test junk";

    private final TestClock clock = new TestClock();
    private final Keystore keystore = new Keystore(KeystoreTest.LIGHT, new SecureRandom());

    private Wallet wallet(Path dir) {
        return new Wallet(dir, keystore, clock, Duration.ofMinutes(5));
    }

    private static Secret pw(String p) {
        return Secret.of(p.toCharArray());
    }

    @Test
    void hdAccountsFollowBip44AndSurviveReopening(@TempDir Path dir) {
        Wallet w = wallet(dir);
        try (Mnemonic m = Mnemonic.parse(pw(JUNK))) {
            Account first = w.createFromMnemonic(m, pw("pw"));
            assertEquals("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", first.address().toString());
            assertEquals(0, first.hdIndex());
        }
        Account second = w.addHdAccount(pw("pw"), null);
        assertEquals("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", second.address().toString());
        assertEquals("Account 2", second.label());
        assertThrows(WrongPasswordException.class, () -> w.addHdAccount(pw("nope"), null));

        Wallet reopened = wallet(dir);
        assertEquals(List.of(w.accounts().get(0), w.accounts().get(1)), reopened.accounts());
        try (Mnemonic back = reopened.openRecoveryPhrase(pw("pw"))) {
            assertEquals(JUNK, new String(back.phrase()));
        }
    }

    @Test
    void unlockSignsUntilLockedOrIdle(@TempDir Path dir) {
        Wallet w = wallet(dir);
        Address a;
        try (Mnemonic m = Mnemonic.parse(pw(JUNK))) {
            a = w.createFromMnemonic(m, pw("pw")).address();
        }
        assertThrows(WalletLockedException.class, () -> w.withKey(a, PrivateKey::address));
        assertThrows(WrongPasswordException.class, () -> w.unlock(a, pw("wrong")));
        assertFalse(w.isUnlocked(a));

        w.unlock(a, pw("pw"));
        assertEquals(a, w.withKey(a, PrivateKey::address));
        clock.advance(Duration.ofMinutes(4));
        assertEquals(a, w.withKey(a, PrivateKey::address), "use resets the idle timer");
        clock.advance(Duration.ofMinutes(4));
        assertTrue(w.isUnlocked(a));
        clock.advance(Duration.ofMinutes(2));
        PrivateKey[] held = new PrivateKey[1];
        WalletLockedException idle = assertThrows(WalletLockedException.class, () -> w.withKey(a, k -> held[0] = k));
        assertTrue(idle.getMessage().contains("5 minutes"), idle.getMessage());

        w.unlock(a, pw("pw"));
        w.withKey(a, k -> held[0] = k);
        w.lock();
        assertTrue(held[0].isWiped(), "locking wipes the key bytes");
        assertThrows(WalletLockedException.class, () -> w.withKey(a, PrivateKey::address));
    }

    @Test
    void importsWatchOnlyExportAndPasswordChange(@TempDir Path dir, @TempDir Path elsewhere) throws IOException {
        Wallet w = wallet(dir);
        Account imported;
        try (PrivateKey key = KeystoreTest.anvilKey0()) {
            imported = w.importPrivateKey(key, pw("pw"), "hot");
        }
        assertEquals(Account.Kind.IMPORTED, imported.kind());

        Path foreign = elsewhere.resolve("foreign.json");
        try (Secret hex = pw("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
             PrivateKey key1 = PrivateKey.parseHex(hex)) {
            keystore.write(foreign, key1, pw("their password"));
        }
        assertThrows(WrongPasswordException.class, () -> w.importKeystore(foreign, pw("their password"), pw("bad"), ""));
        Account fromFile = w.importKeystore(foreign, pw("their password"), pw("pw"), "from cast");
        assertEquals("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", fromFile.address().toString());

        Account watched = w.watch(Address.parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"), "cold");
        assertFalse(watched.canSign());
        assertThrows(WalletException.class, () -> w.unlock(watched.address(), pw("pw")));
        assertThrows(WalletException.class, () -> w.watch(watched.address(), "again"));

        Path exported = elsewhere.resolve("export.json");
        w.exportKeystore(fromFile.address(), exported);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(exported)));
        try (PrivateKey k = keystore.read(exported, pw("pw"))) {
            assertEquals(fromFile.address(), k.address());
        }

        assertThrows(WrongPasswordException.class, () -> w.changePassword(pw("wrong"), pw("new")));
        w.unlock(imported.address(), pw("pw"));
        w.changePassword(pw("pw"), pw("new"));
        assertThrows(WrongPasswordException.class, () -> w.unlock(imported.address(), pw("pw")));
        w.unlock(imported.address(), pw("new"));
        w.unlock(fromFile.address(), pw("new"));
        try (Stream<Path> files = Files.list(dir.resolve("keystore"))) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".new") || p.toString().endsWith(".old")));
        }

        // a change that fails half-way (here: the backup of one keystore cannot be made, a folder is in its place)
        // changes nothing: the old password still opens every account, no file is lost, nothing is left over
        Path keystoreFile = dir.resolve("keystore").resolve(fromFile.keystoreFile());
        Path blocker = Files.createDirectories(keystoreFile.resolveSibling(keystoreFile.getFileName() + ".old"));
        Files.writeString(blocker.resolve("occupied"), "x");
        WalletException failed = assertThrows(WalletException.class, () -> w.changePassword(pw("new"), pw("newer")));
        assertTrue(failed.getMessage().contains("Nothing changed"), failed.getMessage());
        w.unlock(imported.address(), pw("new"));
        w.unlock(fromFile.address(), pw("new"));
        try (Stream<Path> files = Files.list(dir.resolve("keystore"))) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".new")));
        }
        assertTrue(Files.exists(keystoreFile));
    }

    @Test
    void theRecoveryPhraseAppearsInNoFile(@TempDir Path dir) throws IOException {
        Wallet w = wallet(dir);
        char[] phrase;
        try (Mnemonic m = Mnemonic.generate(new SecureRandom())) {
            phrase = m.phrase();
            w.createFromMnemonic(m, pw("pw"));
        }
        w.addHdAccount(pw("pw"), "two");
        String[] words = new String(phrase).split(" ");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
                String content = Files.readString(f, StandardCharsets.UTF_8);
                assertFalse(content.contains(String.join(" ", words)), f.toString());
                // no run of four consecutive phrase words (a partial leak) either
                for (int i = 0; i + 4 <= words.length; i++) {
                    assertFalse(content.contains(String.join(" ", List.of(words).subList(i, i + 4))), f.toString());
                }
            }
        }
        Secret.wipe(phrase);
    }

    @Test
    void theRecoveryPhraseNeverReachesTheLog(@TempDir Path dir) {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        root.addAppender(captured);
        ch.qos.logback.classic.Level level = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.TRACE);
        try {
            Wallet w = wallet(dir);
            char[] phrase;
            try (Mnemonic m = Mnemonic.parse(pw(JUNK))) {
                phrase = m.phrase();
                Address a = w.createFromMnemonic(m, pw("pw")).address();
                w.addHdAccount(pw("pw"), null);
                w.unlock(a, pw("pw"));
                w.withKey(a, k -> k.toString() + k.address());
                assertThrows(InvalidMnemonicException.class, () -> Mnemonic.parse(pw(JUNK.replace("junk", "test"))));
                assertThrows(WrongPasswordException.class, () -> w.unlock(a, pw("bad")));
            }
            String[] words = new String(phrase).split(" ");
            for (var event : captured.list) {
                String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                        : event.getThrowableProxy().getMessage());
                assertFalse(text.contains(words[0] + " " + words[1] + " " + words[2]), text);
                assertFalse(text.contains(KeystoreTest.ANVIL_KEY_0), text);
            }
        } finally {
            root.detachAppender(captured);
            root.setLevel(level);
        }
    }

    @Test
    void secretsAreReadFromFilesWithoutTheTrailingNewline(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("password.txt");
        Files.writeString(file, "pässword\n");
        try (Secret s = Secret.readFile(file)) {
            assertEquals("pässword", new String(s.chars()));
        }
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe});
        assertThrows(IllegalArgumentException.class, () -> Secret.readFile(file));
    }

    @Test
    void aWalletNeedsAPassword(@TempDir Path dir) {
        Wallet w = wallet(dir);
        try (Mnemonic m = Mnemonic.parse(pw(JUNK))) {
            assertThrows(WalletException.class, () -> w.createFromMnemonic(m, pw("")));
        }
        assertThrows(WalletException.class, () -> w.addHdAccount(pw("pw"), null));
    }
}
