package org.openledger.studio.api.chain;

/** What the studio asks a node about its chain: the chain itself and, on a devnet, test OPEN. */
public interface ChainApi {

    /** The chain the node works with: network, chain id, RPC URL, state and contract addresses. */
    ChainInfo chain();

    /** Test OPEN (and gas money) for {@code address} from the node's local devnet. */
    FaucetResult faucet(String address);
}
