package org.openledger.studio.daemon.rewards;

import java.math.BigInteger;
import java.util.Optional;
import org.openledger.studio.wallet.Address;

/**
 * A stand-in for the chain that records the roots it is given and holds whatever is owed: for the economy benchmark,
 * which times the node's own settlement work, not a chain's.
 */
final class InMemoryChain implements RewardChain {

    private volatile long epoch;

    @Override
    public Address distributor() {
        return Address.parse("0x00000000000000000000000000000000000000d1");
    }

    @Override
    public long currentEpoch() {
        return epoch;
    }

    @Override
    public BigInteger claimed(Address account) {
        return BigInteger.ZERO;
    }

    @Override
    public BigInteger held() {
        return BigInteger.TEN.pow(30);
    }

    @Override
    public Optional<String> cannotPost() {
        return Optional.empty();
    }

    @Override
    public Optional<String> cannotFund() {
        return Optional.empty();
    }

    @Override
    public void fund(BigInteger amountWei) {
    }

    @Override
    public Posted post(long e, byte[] root) {
        epoch = e;
        return new Posted(e, root, "0x" + "0".repeat(64), e);
    }

    @Override
    public Optional<Posted> posted(long e) {
        return Optional.empty();
    }
}
