package org.openledger.studio.ui.wallet;

import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.chain.FeeSuggestion;
import org.openledger.studio.wallet.review.TransactionReview;
import org.openledger.studio.wallet.signing.SignedTransaction;
import org.openledger.studio.wallet.signing.TransactionRequest;

/**
 * A transaction on its way: reviewed, then signed, then broadcast. {@code fees} is the {@code eth_feeHistory}
 * answer the levels come from; {@code replaces} is the pending transaction a speed-up or cancel replaces;
 * {@code settle} waits for it once broadcast ({@link TransactionFlow#DEFAULT_SETTLE} for the wallet's own, which the
 * watcher follows through replacements); {@code failed} runs when it is cancelled, fails or reverts.
 */
public record PendingReview(String description, Address from, TransactionRequest request, TransactionReview review,
                            SignedTransaction signed, Runnable next, String network, FeeSuggestion.Speed speed,
                            FeeSuggestion fees, Refee refee, String replaces, ReviewedCalls.Settle settle,
                            Runnable failed) {

    /** How a reviewed transaction's fees are set for a fee level: the same nonce, call and gas, other fees. */
    interface Refee {
        TransactionRequest apply(ChainSession s, FeeSuggestion.Fee fee);
    }

    PendingReview withSigned(SignedTransaction s) {
        return new PendingReview(description, from, request, review, s, next, network, speed, fees, refee, replaces,
                settle, failed);
    }

    PendingReview withRequest(TransactionRequest r, TransactionReview rv, FeeSuggestion.Speed sp) {
        return new PendingReview(description, from, r, rv, signed, next, network, sp, fees, refee, replaces, settle,
                failed);
    }
}
