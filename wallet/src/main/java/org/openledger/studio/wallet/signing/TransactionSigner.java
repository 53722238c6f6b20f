package org.openledger.studio.wallet.signing;

import org.openledger.studio.wallet.PrivateKey;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * Signs EIP-1559 transactions. The encoding is web3j's, which is byte-identical to foundry's {@code cast mktx} (the
 * tests prove it for calls, transfers and deployments).
 */
public final class TransactionSigner {

    public SignedTransaction sign(TransactionRequest request, PrivateKey key) {
        RawTransaction tx = RawTransaction.createTransaction(request.chainId(), request.nonce(), request.gasLimit(),
                request.to() == null ? "" : request.to().lowercase(), request.value(),
                Numeric.toHexString(request.data()), request.maxPriorityFeePerGas(), request.maxFeePerGas());
        byte[] raw = TransactionEncoder.signMessage(tx, key.credentials());
        return new SignedTransaction(raw, key.address(), request.chainId(), request.nonce());
    }
}
