package org.openledger.studio.datanet.contribution;

import java.util.Objects;

/**
 * The EIP-712 domain a manifest is signed for: the chain and the Datanet registry contract, so a signature for the
 * testnet cannot be replayed on mainnet or against another contract.
 */
public record ManifestDomain(long chainId, String verifyingContract) {

    public static final String NAME = "OpenLedger Datanets";
    public static final String VERSION = "1";

    public ManifestDomain {
        Objects.requireNonNull(verifyingContract, "verifyingContract");
        if (!verifyingContract.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("the registry address must be 0x and 40 hex digits: " + verifyingContract);
        }
    }
}
