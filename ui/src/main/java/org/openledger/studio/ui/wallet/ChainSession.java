package org.openledger.studio.ui.wallet;

import java.nio.file.Path;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.contracts.generated.OpenToken;
import org.openledger.studio.contracts.generated.StakingVault;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.ChainConnection;
import org.openledger.studio.wallet.chain.NonceBook;
import org.openledger.studio.wallet.chain.Outbox;
import org.openledger.studio.wallet.review.CallDecoder;
import org.openledger.studio.wallet.staking.StakePositions;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The connection to one chain: client, nonce book and outbox through the wallet, the call decoder of the contracts
 * the node published, and read-only bindings to encode calls. Replaced whenever the node reports another chain.
 */
final class ChainSession {

    final ChainInfo info;
    private final ChainConnection connection;
    final ChainClient client;
    final NonceBook book;
    final Outbox outbox;
    final CallDecoder decoder;
    private StakePositions positions;

    ChainSession(ChainInfo info, Wallet wallet, Path db) {
        this.info = info;
        this.connection = new ChainConnection(info.rpcUrl(), info.chainId(), info.contracts(), wallet, db);
        this.client = connection.client;
        this.book = connection.book;
        this.outbox = connection.outbox;
        this.decoder = connection.decoder;
    }

    boolean matches(ChainInfo other) {
        return other != null && other.rpcUrl().equals(info.rpcUrl()) && other.chainId() == info.chainId()
                && other.contracts().equals(info.contracts());
    }

    boolean hasStaking() {
        return info.contracts().containsKey("StakingVault") && info.contracts().containsKey("OpenToken");
    }

    OpenToken token(Address from) {
        return OpenToken.load(info.contracts().get("OpenToken"), client.web3j(),
                new ReadonlyTransactionManager(client.web3j(), from.lowercase()), new DefaultGasProvider());
    }

    StakingVault vault(Address from) {
        return StakingVault.load(info.contracts().get("StakingVault"), client.web3j(),
                new ReadonlyTransactionManager(client.web3j(), from.lowercase()), new DefaultGasProvider());
    }

    /** One per session: it remembers how far it read each staker's events, so a refresh reads only new blocks. */
    synchronized StakePositions positions() {
        if (positions == null) {
            positions = new StakePositions(client, Address.parse(info.contracts().get("StakingVault")));
        }
        return positions;
    }

    void close() {
        connection.close();
    }
}
