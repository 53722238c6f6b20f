package org.openledger.studio.datanet.onchain;

import java.util.Locale;
import java.util.Objects;

/**
 * One registry on one chain: the devnet, the testnet and mainnet each give a Datanet its own id, so every on-chain
 * record is kept per chain id and {@code DatanetRegistry} address.
 */
public record ChainRef(long chainId, String registry) {

    public ChainRef {
        Objects.requireNonNull(registry, "registry");
        if (!registry.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("the registry address must be 0x and 40 hex digits: " + registry);
        }
        registry = registry.toLowerCase(Locale.ROOT);
    }
}
