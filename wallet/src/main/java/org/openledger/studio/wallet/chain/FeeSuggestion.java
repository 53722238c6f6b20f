package org.openledger.studio.wallet.chain;

import java.math.BigInteger;

/**
 * Three EIP-1559 fee choices from {@code eth_feeHistory}: the next block's base fee and the 10th/50th/90th percentile
 * priority fees of recent blocks. The levels differ in two ways, because a quiet chain (a devnet, an L2) shows no tips
 * at all and the percentiles alone would make the three choices identical:
 * <ul>
 *   <li>the tip: the 10th/50th/90th percentile (each at least the one below it), which orders transactions in a busy
 *   block;</li>
 *   <li>the base-fee headroom of the max fee: slow 1.25x (about two full blocks of rising base fee), normal 2x (about
 *   six), fast 3x (about nine), so a faster transaction stays includable through a longer fee spike. Only the base fee
 *   of the block and the tip are paid; the headroom is a cap, shown as the maximum cost in the review.</li>
 * </ul>
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

    /** The three levels for {@code baseFee} (next block) and the three percentile tips (10th, 50th, 90th). */
    static FeeSuggestion of(BigInteger baseFee, BigInteger tip10, BigInteger tip50, BigInteger tip90) {
        BigInteger normalTip = tip50.max(tip10);
        BigInteger fastTip = tip90.max(normalTip);
        return new FeeSuggestion(baseFee, fee(baseFee, 125, tip10), fee(baseFee, 200, normalTip),
                fee(baseFee, 300, fastTip));
    }

    private static Fee fee(BigInteger baseFee, int headroomPercent, BigInteger tip) {
        BigInteger cap = baseFee.multiply(BigInteger.valueOf(headroomPercent)).add(BigInteger.valueOf(99))
                .divide(BigInteger.valueOf(100));
        return new Fee(cap.add(tip), tip);
    }
}
