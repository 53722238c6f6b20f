package org.openledger.studio.wallet.signing;

import java.math.BigInteger;
import java.util.Objects;
import org.openledger.studio.wallet.Address;

/**
 * Everything an EIP-1559 (type 2) transaction commits to. {@code to} is null for a contract deployment. All amounts
 * are in wei. The request is checked on construction so that a review screen never shows something unsignable.
 */
public record TransactionRequest(long chainId, BigInteger nonce, Address to, BigInteger value, byte[] data,
                                 BigInteger gasLimit, BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {

    public TransactionRequest {
        if (chainId <= 0) {
            throw new IllegalArgumentException("The chain id must be positive, got " + chainId);
        }
        requireNonNegative("nonce", nonce);
        requireNonNegative("value", value);
        requireNonNegative("gas limit", gasLimit);
        requireNonNegative("max fee per gas", maxFeePerGas);
        requireNonNegative("priority fee per gas", maxPriorityFeePerGas);
        if (maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
            throw new IllegalArgumentException("The priority fee (" + maxPriorityFeePerGas
                    + " wei) cannot exceed the max fee per gas (" + maxFeePerGas + " wei)");
        }
        if (gasLimit.compareTo(BigInteger.valueOf(21_000)) < 0) {
            throw new IllegalArgumentException("The gas limit must be at least 21000, got " + gasLimit);
        }
        data = data == null ? new byte[0] : data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The most this transaction can cost in fees: gas limit x max fee per gas (the value comes on top). */
    public BigInteger maxFeeCost() {
        return gasLimit.multiply(maxFeePerGas);
    }

    /** The same transaction with another nonce (replacements keep everything else). */
    public TransactionRequest withNonce(BigInteger newNonce) {
        return new TransactionRequest(chainId, newNonce, to, value, data, gasLimit, maxFeePerGas, maxPriorityFeePerGas);
    }

    /** The same transaction with other fees (speed-up and cancel replacements). */
    public TransactionRequest withFees(BigInteger maxFee, BigInteger priorityFee) {
        return new TransactionRequest(chainId, nonce, to, value, data, gasLimit, maxFee, priorityFee);
    }

    private static void requireNonNegative(String what, BigInteger v) {
        Objects.requireNonNull(v, what);
        if (v.signum() < 0) {
            throw new IllegalArgumentException("The " + what + " cannot be negative, got " + v);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionRequest t && chainId == t.chainId && nonce.equals(t.nonce)
                && Objects.equals(to, t.to) && value.equals(t.value) && java.util.Arrays.equals(data, t.data)
                && gasLimit.equals(t.gasLimit) && maxFeePerGas.equals(t.maxFeePerGas)
                && maxPriorityFeePerGas.equals(t.maxPriorityFeePerGas);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chainId, nonce, to, value, java.util.Arrays.hashCode(data), gasLimit, maxFeePerGas,
                maxPriorityFeePerGas);
    }
}
