package org.openledger.studio.app.cli.wallet;

import java.math.BigInteger;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.wallet.devnet.Economy;
import org.openledger.studio.wallet.staking.StakeTargets;

/** A {@code StakingVault} target as the CLI writes it: {@code datanet|model|node:ID} (decimal id or 0x + 32 bytes). */
record StakeTarget(Economy.TargetKind kind, byte[] id) {

    static StakeTarget parse(String text) {
        try {
            StakeTargets.Target t = StakeTargets.parse(text);
            return new StakeTarget(t.kind(), t.id());
        } catch (IllegalArgumentException e) {
            throw new UserError("--target: " + e.getMessage());
        }
    }

    BigInteger kindCode() {
        return kind.code();
    }
}
