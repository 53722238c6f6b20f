package org.openledger.studio.datanet.onchain;

import java.math.BigInteger;

/**
 * A local Datanet published with {@code DatanetRegistry.createDatanet}: its id there, the metadata hash it was
 * published with, and the transaction that did it.
 */
public record OnChainDatanet(long datanetId, ChainRef chain, BigInteger onChainId, String metadataHash, String txHash,
                             long block) {
}
