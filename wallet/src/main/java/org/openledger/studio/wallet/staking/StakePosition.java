package org.openledger.studio.wallet.staking;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import org.openledger.studio.wallet.devnet.Economy;

/**
 * One staker's position behind one target of the {@code StakingVault}, as {@code stakeOf} reports it: OPEN staked
 * (active), OPEN asked back and still in its cooldown (unbonding) and the chain time from which that can be withdrawn.
 */
public record StakePosition(Economy.TargetKind kind, byte[] target, BigInteger active, BigInteger unbonding,
                            Instant unlockAt) {

    public StakePosition {
        target = target.clone();
    }

    @Override
    public byte[] target() {
        return target.clone();
    }

    /** The target id as 0x + 64 hex digits. */
    public String targetHex() {
        return "0x" + HexFormat.of().formatHex(target);
    }

    /** {@code datanet}, {@code model}, {@code node} or {@code contribution}. */
    public String kindName() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Whether something is unbonding and the chain's clock ({@code chainNow}, a block timestamp) is past its lock. */
    public boolean withdrawable(Instant chainNow) {
        return unbonding.signum() > 0 && !chainNow.isBefore(unlockAt);
    }

    /** Whether there is nothing left here at all (fully withdrawn). */
    public boolean isEmpty() {
        return active.signum() == 0 && unbonding.signum() == 0;
    }
}
