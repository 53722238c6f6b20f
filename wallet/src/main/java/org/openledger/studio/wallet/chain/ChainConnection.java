package org.openledger.studio.wallet.chain;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.openledger.studio.contracts.ContractArtifacts;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.devnet.Devnet;
import org.openledger.studio.wallet.review.CallDecoder;

/**
 * One connection to a chain, as the studio and the CLI both open it: the client (chain id checked before every
 * signature), the nonce book in {@code nonceBook}, the outbox that signs through the wallet, and the decoder of the
 * contracts the node published (by name and address), so reviews name the calls.
 */
public final class ChainConnection implements AutoCloseable {

    public final ChainClient client;
    public final NonceBook book;
    public final Outbox outbox;
    public final CallDecoder decoder = new CallDecoder();

    public ChainConnection(String rpcUrl, long chainId, Map<String, String> contracts, Wallet wallet, Path nonceBook) {
        this.client = new ChainClient(rpcUrl, chainId, Devnet.revertDecoder());
        this.book = NonceBook.open(nonceBook, Clock.systemUTC());
        this.outbox = new Outbox(client, book, wallet);
        contracts.forEach((name, address) -> decoder.withContract(Address.parse(address), name,
                ContractArtifacts.abi(name)));
    }

    @Override
    public void close() {
        book.close();
        client.close();
    }
}
