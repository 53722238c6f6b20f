package org.openledger.studio.wallet;

import java.util.Objects;

/**
 * One address the wallet knows. {@code hdIndex} is set for accounts derived from the wallet's recovery phrase
 * ({@code m/44'/60'/0'/0/hdIndex}); {@code keystoreFile} (a file name inside the wallet's keystore folder) is set for
 * every account that can sign, and is null for watch-only addresses.
 */
public record Account(Address address, String label, Kind kind, Integer hdIndex, String keystoreFile) {

    public enum Kind {
        /** Derived from the wallet's recovery phrase. */
        HD,
        /** Imported from a private key or a keystore file; not recoverable from the phrase. */
        IMPORTED,
        /** An address only: balances and history, no signing. */
        WATCH_ONLY
    }

    public Account {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(kind, "kind");
        label = label == null ? "" : label;
        if (kind == Kind.HD && hdIndex == null) {
            throw new IllegalArgumentException("an HD account needs its index");
        }
        if (kind != Kind.WATCH_ONLY && keystoreFile == null) {
            throw new IllegalArgumentException("an account that signs needs its keystore file");
        }
    }

    public boolean canSign() {
        return kind != Kind.WATCH_ONLY;
    }

    public Account withLabel(String newLabel) {
        return new Account(address, newLabel, kind, hdIndex, keystoreFile);
    }
}
