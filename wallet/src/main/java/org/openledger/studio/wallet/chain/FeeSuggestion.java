package org.openledger.studio.wallet.chain;

import java.math.BigInteger;

/**
 * Three EIP-1559 fee choices from {@code eth_feeHistory}: the next block's base fee and the 10th/50th/90th percentile
 * priority fees of recent blocks. Each max fee allows the base fee to double (two full blocks) before the
 * transaction stops being includable, as wallets commonly do.
 */
public record FeeSuggestion(BigInteger baseFee, Fee slow, Fee normal, Fee fast) {

    /** One choice: the max fee per gas and the priority fee (tip) per gas, in wei. */
    public record Fee(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    }

    public Fee level(Speed speed) {
        return switch (speed) {
            case SLOW -> slow;
            case NORMAL -> normal;
            case FAST -> fast;
        };
    }

    public enum Speed { SLOW, NORMAL, FAST }

    static Fee fee(BigInteger baseFee, BigInteger tip) {
        return new Fee(baseFee.shiftLeft(1).add(tip), tip);
    }
}
