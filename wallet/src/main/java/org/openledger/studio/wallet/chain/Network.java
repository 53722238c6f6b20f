package org.openledger.studio.wallet.chain;

import java.net.URI;
import java.util.Locale;

/**
 * A chain the studio can use: the local devnet (anvil, started on demand), OpenLedger's testnet and mainnet (OP Stack
 * L2s) or any EVM JSON-RPC endpoint. The chain id is part of the network, and {@link ChainClient} refuses to sign
 * when the endpoint reports another one.
 */
public record Network(String name, long chainId, String rpcUrl) {

    public static final long DEVNET_CHAIN_ID = LocalChain.CHAIN_ID;
    public static final long OPENLEDGER_TESTNET_CHAIN_ID = 161201;
    public static final long OPENLEDGER_MAINNET_CHAIN_ID = 1612;

    public Network {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A network needs a name");
        }
        if (chainId <= 0) {
            throw new IllegalArgumentException("A chain id is positive, got " + chainId);
        }
        if (rpcUrl != null) {
            String scheme = URI.create(rpcUrl).getScheme();
            if (scheme == null || !(scheme.toLowerCase(Locale.ROOT).equals("http")
                    || scheme.toLowerCase(Locale.ROOT).equals("https"))) {
                throw new IllegalArgumentException("An RPC URL starts with http:// or https://, got " + rpcUrl);
            }
        }
    }

    /** The local devnet; its URL is known once {@link LocalChain} has started. */
    public static Network devnet(String rpcUrl) {
        return new Network("Local devnet", DEVNET_CHAIN_ID, rpcUrl);
    }

    public static Network openLedgerTestnet(String rpcUrl) {
        return new Network("OpenLedger testnet", OPENLEDGER_TESTNET_CHAIN_ID, rpcUrl);
    }

    public static Network openLedgerMainnet(String rpcUrl) {
        return new Network("OpenLedger mainnet", OPENLEDGER_MAINNET_CHAIN_ID, rpcUrl);
    }

    /** Whether the faucet and the devnet bootstrap may run here. */
    public boolean isDevnet() {
        return chainId == DEVNET_CHAIN_ID;
    }

    /** Production networks deserve an extra confirmation in the UI (real money). */
    public boolean isMainnet() {
        return chainId == OPENLEDGER_MAINNET_CHAIN_ID;
    }
}
