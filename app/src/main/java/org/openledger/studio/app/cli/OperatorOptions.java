package org.openledger.studio.app.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.openledger.studio.daemon.chain.OperatorKey;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.WalletException;
import picocli.CommandLine.Option;

/**
 * {@code studio daemon}'s operator key for a chain given with {@code --rpc-url}: a keystore v3 file (scrypt) and its
 * password from a file or the environment. The key is decrypted at start (a wrong password stops the node at once,
 * in one line) and never written in clear; the password is wiped once the key is open (one read from the
 * environment stays in the process's environment block, which Java cannot wipe: prefer the file).
 */
public final class OperatorOptions {

    /** The environment variable read for the password when no file is given. */
    public static final String PASSWORD_ENV = "STUDIO_OPERATOR_PASSWORD";

    @Option(names = "--operator-keystore", paramLabel = "FILE", description = "With --rpc-url: sign reward roots and "
            + "distributor funding with the key in this keystore v3 file (scrypt; `cast wallet import` or an account "
            + "file of `studio wallet`). Its password comes from --operator-password-file or " + PASSWORD_ENV + ".")
    Path keystore;

    @Option(names = "--operator-password-file", paramLabel = "FILE",
            description = "File holding the --operator-keystore password (read once, then wiped from memory).")
    Path passwordFile;

    /**
     * The operator key, or null when none was given.
     *
     * @throws UserError when the options do not fit together, the password is missing or wrong, or the file is no
     *                   scrypt keystore
     */
    public OperatorKey open(String rpcUrl) {
        if (keystore == null) {
            if (passwordFile != null) {
                throw new UserError("--operator-password-file goes with --operator-keystore");
            }
            return null;
        }
        if (rpcUrl == null) {
            throw new UserError("--operator-keystore is for a chain given with --rpc-url; the local devnet signs with "
                    + "its own test account");
        }
        Secret password;
        if (passwordFile != null) {
            try {
                password = Secret.readFile(passwordFile);
            } catch (NoSuchFileException e) {
                throw new UserError("The operator password file " + passwordFile + " does not exist");
            } catch (IOException e) {
                throw new UserError("Cannot read the operator password file " + passwordFile + ": " + e.getMessage());
            }
        } else {
            String env = System.getenv(PASSWORD_ENV);
            if (env == null || env.isEmpty()) {
                throw new UserError("--operator-keystore needs its password: --operator-password-file FILE or the "
                        + PASSWORD_ENV + " environment variable");
            }
            password = Secret.of(env.toCharArray());
        }
        try {
            return OperatorKey.open(keystore, password);
        } catch (WalletException e) {
            throw new UserError("--operator-keystore: " + e.getMessage());
        }
    }
}
