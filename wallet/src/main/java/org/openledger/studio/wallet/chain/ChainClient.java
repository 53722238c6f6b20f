package org.openledger.studio.wallet.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.signing.SignedTransaction;
import org.openledger.studio.wallet.signing.TransactionRequest;
import org.openledger.studio.wallet.signing.TransactionSigner;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthFeeHistory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * JSON-RPC to one chain, with the checks a wallet owes its user: the endpoint's chain id is compared with the
 * expected one before every signature (a wrong network would replay the transaction elsewhere), node errors become
 * specific exceptions, and reverts are decoded.
 */
public final class ChainClient implements AutoCloseable {

    private final Web3j web3j;
    private final long expectedChainId;
    private final RevertDecoder revertDecoder;
    private final TransactionSigner signer = new TransactionSigner();

    public ChainClient(String rpcUrl, long expectedChainId, RevertDecoder revertDecoder) {
        this(Web3j.build(new HttpService(rpcUrl)), expectedChainId, revertDecoder);
    }

    public ChainClient(Web3j web3j, long expectedChainId, RevertDecoder revertDecoder) {
        this.web3j = web3j;
        this.expectedChainId = expectedChainId;
        this.revertDecoder = revertDecoder;
    }

    /** The underlying web3j client, for generated contract bindings. */
    public Web3j web3j() {
        return web3j;
    }

    public long expectedChainId() {
        return expectedChainId;
    }

    public RevertDecoder revertDecoder() {
        return revertDecoder;
    }

    /** The chain id the endpoint reports now. */
    public long chainId() {
        return send(web3j.ethChainId(), "eth_chainId").getChainId().longValueExact();
    }

    /**
     * @throws ChainMismatchException when the endpoint serves another chain
     */
    public void requireExpectedChain() {
        long actual = chainId();
        if (actual != expectedChainId) {
            throw new ChainMismatchException("The RPC endpoint serves chain " + actual + " but this wallet is set "
                    + "to chain " + expectedChainId + ": nothing was signed. Check the network setting.");
        }
    }

    /**
     * Signs {@code request} with the unlocked key of {@code from}, after checking that the endpoint is on the
     * request's chain.
     */
    public SignedTransaction sign(Wallet wallet, Address from, TransactionRequest request) {
        if (request.chainId() != expectedChainId) {
            throw new ChainMismatchException("The transaction is for chain " + request.chainId()
                    + " but this client is for chain " + expectedChainId + ": nothing was signed");
        }
        requireExpectedChain();
        return wallet.withKey(from, key -> signer.sign(request, key));
    }

    public BigInteger balance(Address address) {
        return send(web3j.ethGetBalance(address.lowercase(), DefaultBlockParameterName.LATEST), "eth_getBalance")
                .getBalance();
    }

    /** Whether {@code address} holds contract code. */
    public boolean hasCode(Address address) {
        String code = send(web3j.ethGetCode(address.lowercase(), DefaultBlockParameterName.LATEST), "eth_getCode")
                .getCode();
        return code != null && code.length() > 2;
    }

    /** The next nonce the node expects: {@code pending} counts transactions in its mempool too. */
    public BigInteger nonce(Address address, boolean pending) {
        return send(web3j.ethGetTransactionCount(address.lowercase(),
                pending ? DefaultBlockParameterName.PENDING : DefaultBlockParameterName.LATEST),
                "eth_getTransactionCount").getTransactionCount();
    }

    /**
     * The chain's clock: the timestamp of the latest block. Contracts compare against block time, not the computer's
     * clock (a devnet's time can be moved forward, a real chain's drifts from local time).
     */
    public java.time.Instant latestBlockTime() {
        var block = send(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false), "eth_getBlockByNumber")
                .getBlock();
        if (block == null) {
            throw new ChainException("The chain node has no latest block");
        }
        return java.time.Instant.ofEpochSecond(block.getTimestamp().longValueExact());
    }

    /** Slow / normal / fast fees from the last 10 blocks. */
    public FeeSuggestion fees() {
        EthFeeHistory.FeeHistory h = send(web3j.ethFeeHistory(10, DefaultBlockParameterName.LATEST,
                List.of(10.0, 50.0, 90.0)), "eth_feeHistory").getFeeHistory();
        List<BigInteger> baseFees = h.getBaseFeePerGas();
        BigInteger nextBase = baseFees.isEmpty() ? BigInteger.ZERO : baseFees.get(baseFees.size() - 1);
        BigInteger[] tips = new BigInteger[3];
        for (int p = 0; p < 3; p++) {
            List<BigInteger> values = new ArrayList<>();
            if (h.getReward() != null) {
                for (List<BigInteger> block : h.getReward()) {
                    if (block.size() > p) {
                        values.add(block.get(p));
                    }
                }
            }
            values.sort(null);
            tips[p] = values.isEmpty() ? BigInteger.ZERO : values.get(values.size() / 2);
        }
        return FeeSuggestion.of(nextBase, tips[0], tips[1], tips[2]);
    }

    /**
     * The gas a transaction would use now.
     *
     * @throws TransactionRevertedException with the decoded reason when it would revert
     */
    public BigInteger estimateGas(Address from, Address to, BigInteger value, byte[] data) {
        Transaction tx = Transaction.createFunctionCallTransaction(from.lowercase(), null, null, null,
                to == null ? null : to.lowercase(), value, Numeric.toHexString(data));
        var response = request(web3j.ethEstimateGas(tx), "eth_estimateGas");
        if (response.hasError()) {
            throw reverted(response.getError(), "would revert");
        }
        return response.getAmountUsed();
    }

    /** A read-only call; returns the output bytes or throws the decoded revert. */
    public byte[] call(Address from, Address to, byte[] data, DefaultBlockParameter block) {
        Transaction tx = Transaction.createEthCallTransaction(from == null ? null : from.lowercase(), to.lowercase(),
                Numeric.toHexString(data));
        var response = request(web3j.ethCall(tx, block), "eth_call");
        if (response.hasError()) {
            throw reverted(response.getError(), "reverted");
        }
        return Numeric.hexStringToByteArray(response.getValue());
    }

    /**
     * Sends a signed transaction. A node that already has exactly this transaction answers with an error; that is
     * success here (same bytes = same hash, never a duplicate), which is what makes re-broadcasting safe.
     *
     * @return the transaction hash
     * @throws NodeUnreachableException   when the node cannot be reached (the transaction may or may not have arrived;
     *                                    sending the same bytes again is safe)
     * @throws InsufficientFundsException when the sender cannot pay
     * @throws ChainException             for other rejections, with the node's words
     */
    public String broadcast(SignedTransaction tx) {
        var response = request(web3j.ethSendRawTransaction(tx.rawHex()), "eth_sendRawTransaction");
        if (!response.hasError()) {
            return response.getTransactionHash();
        }
        String message = response.getError().getMessage();
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (lower.contains("already known") || lower.contains("already imported") || lower.contains("known transaction")) {
            return tx.hash();
        }
        if (lower.contains("insufficient funds")) {
            throw new InsufficientFundsException("The account " + tx.from() + " cannot pay for this transaction "
                    + "(value + gas limit x max fee): " + message);
        }
        if (lower.contains("nonce too low")) {
            throw new NonceTooLowException("Nonce " + tx.nonce() + " of " + tx.from() + " is already used on chain: "
                    + message);
        }
        throw new ChainException("The node rejected transaction " + tx.hash() + ": " + message);
    }

    public Optional<TransactionReceipt> receipt(String hash) {
        return send(web3j.ethGetTransactionReceipt(hash), "eth_getTransactionReceipt").getTransactionReceipt();
    }

    /** Polls for the receipt every 50 ms up to {@code timeout}. */
    public TransactionReceipt awaitReceipt(String hash, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<TransactionReceipt> r = receipt(hash);
            if (r.isPresent()) {
                return r.get();
            }
            if (System.nanoTime() > deadline) {
                throw new ChainException("Transaction " + hash + " was not mined within " + timeout.toSeconds()
                        + " s; it is still pending (it can be sped up or cancelled)");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainException("Interrupted while waiting for " + hash, e);
            }
        }
    }

    /**
     * The decoded revert reason of a failed, mined transaction, found by replaying it as a call on the state before
     * its block.
     */
    public String revertReason(TransactionReceipt receipt) {
        var tx = send(web3j.ethGetTransactionByHash(receipt.getTransactionHash()), "eth_getTransactionByHash")
                .getTransaction().orElseThrow(() -> new ChainException("Unknown transaction "
                        + receipt.getTransactionHash()));
        Transaction call = Transaction.createFunctionCallTransaction(tx.getFrom(), null, null, tx.getGas(), tx.getTo(),
                tx.getValue(), tx.getInput());
        var response = request(web3j.ethCall(call,
                DefaultBlockParameter.valueOf(receipt.getBlockNumber().subtract(BigInteger.ONE))), "eth_call");
        return response.hasError() ? decode(response.getError()) : "reverted (the replay did not revert: out of gas?)";
    }

    /** Waits for the receipt and throws the decoded reason when the transaction reverted. */
    public TransactionReceipt requireSuccess(String hash, Duration timeout) {
        TransactionReceipt receipt = awaitReceipt(hash, timeout);
        if (!receipt.isStatusOK()) {
            throw new TransactionRevertedException("Transaction " + hash + " reverted: " + revertReason(receipt));
        }
        return receipt;
    }

    private TransactionRevertedException reverted(Response.Error error, String what) {
        return new TransactionRevertedException("The transaction " + what + ": " + decode(error));
    }

    private String decode(Response.Error error) {
        String data = error.getData();
        if (data != null && data.startsWith("\"")) {
            data = data.substring(1, data.length() - 1);
        }
        if (data != null && data.startsWith("0x")) {
            return revertDecoder.decode(data);
        }
        return error.getMessage();
    }

    private <R extends Response<?>> R send(org.web3j.protocol.core.Request<?, R> request, String method) {
        R response = request(request, method);
        if (response.hasError()) {
            throw new ChainException(method + " failed: " + response.getError().getMessage());
        }
        return response;
    }

    private <R extends Response<?>> R request(org.web3j.protocol.core.Request<?, R> request, String method) {
        try {
            return request.send();
        } catch (IOException e) {
            throw new NodeUnreachableException("The chain node does not answer (" + method + "): " + e.getMessage()
                    + ". Check that it is running and the RPC URL is right", e);
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
