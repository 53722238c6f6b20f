package org.openledger.studio.app.cli.wallet;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.daemon.attribution.Attributions;
import org.openledger.studio.daemon.chain.ChainService;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.staking.StakePositions;
import org.openledger.studio.wallet.staking.StakeTargets;

/**
 * The stakes behind stake targets, read from the node's chain ({@code StakingVault}: Staked events say who, stakeOf
 * says how much), remembered for {@link #FRESH_MILLIS} so that a burst of inferences reads the chain once.
 */
final class ChainStakes implements Attributions.StakeSource {

    static final long FRESH_MILLIS = 30_000;

    private record Read(long at, Map<String, BigInteger> stakes) {
    }

    private final ChainService chain;
    private final Map<List<String>, Read> cache = new LinkedHashMap<>();
    private StakePositions positions;

    ChainStakes(ChainService chain) {
        this.chain = chain;
    }

    @Override
    public synchronized Map<String, BigInteger> stakes(List<String> targets) {
        Read r = cache.get(targets);
        long now = System.currentTimeMillis();
        if (r != null && now - r.at() < FRESH_MILLIS) {
            return r.stakes();
        }
        if (positions == null) {
            ChainService.Ready ready = chain.ready();
            positions = new StakePositions(ready.client(), ready.deployment().stakingVault());
        }
        Map<String, BigInteger> out = new LinkedHashMap<>();
        for (String t : targets) {
            StakeTargets.Target target = StakeTargets.parse(t);
            for (Map.Entry<Address, BigInteger> e : positions.stakersOf(target.kind(), target.id()).entrySet()) {
                out.merge(e.getKey().toString(), e.getValue(), BigInteger::add);
            }
        }
        cache.put(List.copyOf(targets), new Read(now, Map.copyOf(out)));
        return out;
    }
}
