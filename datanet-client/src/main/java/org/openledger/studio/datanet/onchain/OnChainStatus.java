package org.openledger.studio.datanet.onchain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Locale;

/**
 * Where a contribution stands on chain. {@link Stage#NOT_SUBMITTED} has no chain and no transaction; a pending one
 * has its transaction hash, a confirmed one its block and contribution id, a reverted one the decoded reason.
 */
public record OnChainStatus(long uploadId, Stage stage, ChainRef chain, BigInteger onChainDatanetId, String txHash,
                            Long block, BigInteger contributionId, BigInteger stake, String reason, Instant updatedAt) {

    public enum Stage {
        NOT_SUBMITTED, PENDING, CONFIRMED, REVERTED, CHALLENGED;

        String sql() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Stage fromSql(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public static OnChainStatus notSubmitted(long uploadId) {
        return new OnChainStatus(uploadId, Stage.NOT_SUBMITTED, null, null, null, null, null, null, null, null);
    }

    /** Whether a transaction for it is on its way or has landed: submitting again would pay for a revert. */
    public boolean submitted() {
        return stage == Stage.PENDING || stage == Stage.CONFIRMED || stage == Stage.CHALLENGED;
    }

    /** One line for lists: "not submitted", "pending 0x…", "confirmed in block 12 (contribution 3)", … */
    public String describe() {
        return switch (stage) {
            case NOT_SUBMITTED -> "not submitted";
            case PENDING -> "pending " + txHash;
            case CONFIRMED -> "confirmed in block " + block + " (contribution " + contributionId + ")";
            case REVERTED -> "reverted: " + reason;
            case CHALLENGED -> "challenged (contribution " + contributionId + ", block " + block + ")";
        };
    }
}
