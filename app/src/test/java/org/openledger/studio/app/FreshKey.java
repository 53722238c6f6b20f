package org.openledger.studio.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.Wallet;

/**
 * A fresh random private key for a test's account: a new one each run, so that a devnet that outlives a run never
 * sees the same account twice. Its first byte is chosen by the test, well below the curve order, so it is valid.
 */
public final class FreshKey {

    private FreshKey() {
    }

    /** The key as 64 hex digits. */
    public static String hex(byte first) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        key[0] = first;
        return HexFormat.of().formatHex(key);
    }

    /** Writes a fresh key, as hex, to {@code file} (for {@code --private-key-file}). */
    public static Path file(Path file, byte first) throws IOException {
        return Files.writeString(file, hex(first));
    }

    /**
     * Writes a fresh key to {@code keyFile} and imports it with {@code studio wallet import} (in this JVM) under the
     * password in {@code passwordFile}, into the wallet that {@code walletOptions} name ({@code --home H} or
     * {@code --wallet-dir W}). The account's address.
     */
    public static String importWithCli(Path keyFile, byte first, Path passwordFile, String... walletOptions)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("wallet", "import", "--private-key-file",
                file(keyFile, first).toString(), "--password-file", passwordFile.toString()));
        args.addAll(List.of(walletOptions));
        return InJvmCli.ok(args.toArray(String[]::new));
    }

    /**
     * Imports a fresh key into the wallet of the studio home {@code dirs} under {@code password}, with the standard
     * scrypt parameters, as the studio's import does; the account stays locked. Its address.
     */
    public static String importInto(AppDirs dirs, byte first, String password) throws Exception {
        try (Secret hex = Secret.of(hex(first).toCharArray()); PrivateKey key = PrivateKey.parseHex(hex);
             Secret secret = Secret.of(password.toCharArray())) {
            return new Wallet(dirs.data().resolve("wallet"), new Keystore(ScryptParams.STANDARD, new SecureRandom()),
                    Clock.systemUTC(), Duration.ofMinutes(5)).importPrivateKey(key, secret, "Imported").address()
                    .toString();
        }
    }
}
