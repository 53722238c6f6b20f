package org.openledger.studio.daemon.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.openledger.studio.api.Wire;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.WalletException;

/**
 * The key a node signs with as the operator of a chain it does not run itself (posting reward roots, funding the
 * distributor): given as a keystore v3 file encrypted with scrypt (geth, cast, or an account file of the studio's own
 * wallet), opened once at start with a password that is wiped as soon as the key is decrypted. The key itself is
 * never written in clear: {@link ChainService} keeps it in memory only (in its throw-away wallet, encrypted again
 * under a random password that is never written) and wipes it when the node stops.
 */
public final class OperatorKey implements AutoCloseable {

    private final Path file;
    private final PrivateKey key;

    private OperatorKey(Path file, PrivateKey key) {
        this.file = file;
        this.key = key;
    }

    /**
     * Opens {@code keystore} with {@code password}, which is wiped whatever happens.
     *
     * @throws WalletException when the file is missing, not a keystore v3 with scrypt, or the password is wrong
     */
    public static OperatorKey open(Path keystore, Secret password) {
        try (password) {
            String json;
            try {
                json = Files.readString(keystore);
            } catch (IOException e) {
                throw new WalletException("Cannot read the operator keystore " + keystore + ": " + e.getMessage(), e);
            }
            JsonNode crypto;
            try {
                JsonNode root = Wire.mapper().readTree(json);
                crypto = root.has("crypto") ? root.path("crypto") : root.path("Crypto");
                if (root.path("version").asInt() != 3) {
                    throw new WalletException("The operator keystore " + keystore + " is not a keystore v3 file");
                }
            } catch (IOException e) {
                throw new WalletException("The operator keystore " + keystore + " is not JSON: " + e.getMessage(), e);
            }
            if (!"scrypt".equals(crypto.path("kdf").asText())) {
                throw new WalletException("The operator keystore " + keystore + " is encrypted with "
                        + crypto.path("kdf").asText("no key derivation") + "; it must use scrypt (e.g. `cast wallet "
                        + "import`, or `studio wallet import` then the account's file in the wallet folder)");
            }
            if (password.isEmpty()) {
                throw new WalletException("The operator keystore's password is empty");
            }
            PrivateKey key = new Keystore(ScryptParams.STANDARD, new SecureRandom()).decrypt(json, password);
            return new OperatorKey(keystore, key);
        }
    }

    public Address address() {
        return key.address();
    }

    public Path file() {
        return file;
    }

    /** The key, for the chain's wallet to take in; stays this object's to wipe. */
    PrivateKey key() {
        return key;
    }

    /** Wipes the key from memory. */
    @Override
    public void close() {
        key.close();
    }

    @Override
    public String toString() {
        return "OperatorKey[" + key.address() + " from " + file + "]";
    }
}
