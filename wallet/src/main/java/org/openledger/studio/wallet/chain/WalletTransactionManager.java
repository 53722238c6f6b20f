package org.openledger.studio.wallet.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.signing.SignedTransaction;
import org.openledger.studio.wallet.signing.TransactionRequest;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthGetCode;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * Lets web3j's generated contract bindings send through the wallet: every transaction gets its nonce from the nonce
 * book, its gas from a fresh estimate (the binding's gas provider is ignored), the chain-id check, a saved signed copy,
 * and a decoded revert reason ({@link TransactionRevertedException}) instead of web3j's generic one. For a review
 * dialog, encode the call with the binding ({@code contract.fn(...).encodeFunctionCall()}) and use {@link Outbox}
 * step by step instead.
 */
public final class WalletTransactionManager extends TransactionManager {

    private final ChainClient client;
    private final Outbox outbox;
    private final Address from;
    private final Duration receiptTimeout;

    public WalletTransactionManager(ChainClient client, Outbox outbox, Address from, Duration receiptTimeout) {
        super(new PollingTransactionReceiptProcessor(client.web3j(), 50, 1200), from.lowercase());
        this.client = client;
        this.outbox = outbox;
        this.from = from;
        this.receiptTimeout = receiptTimeout;
    }

    @Override
    public EthSendTransaction sendTransaction(BigInteger gasPrice, BigInteger gasLimit, String to, String data,
                                              BigInteger value, boolean constructor) {
        return send(to, data, value, constructor);
    }

    @Override
    public EthSendTransaction sendEIP1559Transaction(long chainId, BigInteger maxPriorityFeePerGas,
                                                     BigInteger maxFeePerGas, BigInteger gasLimit, String to,
                                                     String data, BigInteger value, boolean constructor) {
        return send(to, data, value, constructor);
    }

    private EthSendTransaction send(String to, String data, BigInteger value, boolean constructor) {
        Address target = to == null || to.isEmpty() ? null : Address.parse(to);
        byte[] payload = Numeric.hexStringToByteArray(data == null ? "0x" : data);
        TransactionRequest request = outbox.prepare(from, target, value == null ? BigInteger.ZERO : value, payload,
                FeeSuggestion.Speed.NORMAL);
        String description = constructor ? "contract deployment" : "contract call to " + target + " (selector "
                + (payload.length >= 4 ? Numeric.toHexString(payload, 0, 4, true) : "none") + ")";
        SignedTransaction signed = outbox.sign(from, request, description);
        EthSendTransaction response = new EthSendTransaction();
        response.setResult(outbox.broadcast(signed));
        return response;
    }

    /** Waits through the outbox so the nonce book records the outcome and reverts come back decoded. */
    @Override
    protected TransactionReceipt processResponse(EthSendTransaction response) {
        return outbox.settle(response.getTransactionHash(), receiptTimeout);
    }

    @Override
    public String sendCall(String to, String data, DefaultBlockParameter block) {
        return Numeric.toHexString(client.call(from, Address.parse(to), Numeric.hexStringToByteArray(data), block));
    }

    @Override
    public EthGetCode getCode(String contractAddress, DefaultBlockParameter block) throws IOException {
        return client.web3j().ethGetCode(contractAddress, block).send();
    }
}
