package org.openledger.studio.wallet.staking;

import org.openledger.studio.wallet.WalletException;

/**
 * A reward claim that must not be sent: nothing left to claim (the contract's {@code NothingToClaim}, decoded), a
 * proof that does not verify, a node's root that is not the distributor's, no distributor on the chain. The message
 * says which and what to do.
 */
public class ClaimRefusedException extends WalletException {
    public ClaimRefusedException(String message) {
        super(message);
    }

    public ClaimRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
