package org.openledger.studio.app.cli.wallet;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.WalletException;

/** What the wallet commands share: reading secret files, parsing numbers and hex, one-line errors. */
final class CliSecrets {

    private CliSecrets() {
    }

    /** A password, phrase or key file as a wipeable secret; the caller closes it. */
    static Secret read(Path file, String what) {
        try {
            return Secret.readFile(file);
        } catch (NoSuchFileException e) {
            throw new UserError("The " + what + " file " + file + " does not exist");
        } catch (IOException e) {
            throw new UserError("Cannot read the " + what + " file " + file + ": " + e.getMessage());
        }
    }

    /** A keystore that writes with the standard scrypt cost (n=2^18); reading follows each file's own parameters. */
    static Keystore keystore() {
        return new Keystore(ScryptParams.STANDARD, new SecureRandom());
    }

    /** Runs {@code work}, turning the wallet's own failures (wrong password, corrupt file...) into one line. */
    static <T> T userErrors(Supplier<T> work) {
        try {
            return work.get();
        } catch (WalletException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** A non-negative integer in decimal or 0x hex, as cast accepts. */
    static BigInteger number(String text, String option) {
        String t = text.trim().replace("_", "");
        try {
            BigInteger v = t.startsWith("0x") || t.startsWith("0X") ? new BigInteger(t.substring(2), 16)
                    : new BigInteger(t);
            if (v.signum() < 0) {
                throw new UserError(option + " cannot be negative, got " + text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UserError(option + " must be a whole number (decimal or 0x hex), got '" + text + "'");
        }
    }

    /** Hex bytes with an optional 0x; empty for "" or "0x". */
    static byte[] hex(String text, String option) {
        String t = text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        if (t.length() % 2 != 0) {
            throw new UserError(option + " must be an even number of hex digits, got " + t.length());
        }
        try {
            return HexFormat.of().parseHex(t);
        } catch (IllegalArgumentException e) {
            throw new UserError(option + " is not hex: " + e.getMessage());
        }
    }

    /** Writes a secret's characters to the terminal without making a String of them. */
    static void print(PrintWriter out, char[] chars) {
        out.write(chars);
        out.println();
        out.flush();
    }
}
