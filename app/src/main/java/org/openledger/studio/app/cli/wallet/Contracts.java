package org.openledger.studio.app.cli.wallet;

import java.util.HexFormat;
import org.openledger.studio.contracts.generated.OpenToken;
import org.openledger.studio.contracts.generated.StakingVault;
import org.openledger.studio.wallet.Address;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/** Read-only bindings of the OPEN token and the staking vault, to read state and encode calls for review. */
final class Contracts {

    private Contracts() {
    }

    static OpenToken token(ChainOptions.Session s) {
        return OpenToken.load(s.contract("OpenToken", "This command").lowercase(), s.client.web3j(),
                new ReadonlyTransactionManager(s.client.web3j(), s.from.lowercase()), new DefaultGasProvider());
    }

    static StakingVault vault(ChainOptions.Session s) {
        return StakingVault.load(s.contract("StakingVault", "This command").lowercase(), s.client.web3j(),
                new ReadonlyTransactionManager(s.client.web3j(), s.from.lowercase()), new DefaultGasProvider());
    }

    static byte[] data(RemoteFunctionCall<?> call) {
        return HexFormat.of().parseHex(call.encodeFunctionCall().substring(2));
    }

    static <T> T read(RemoteFunctionCall<T> call, String what) {
        try {
            return call.send();
        } catch (Exception e) {
            throw new org.openledger.studio.app.cli.UserError("Cannot read " + what + " from the chain: "
                    + e.getMessage());
        }
    }

    static String position(ChainOptions.Session s, StakeTarget t) {
        var p = read(vault(s).stakeOf(s.from.lowercase(), t.kindCode(), t.id()), "the stake");
        return "Stake of " + s.from + ": active " + ChainOptions.units(p.component1()) + " OPEN, unbonding "
                + ChainOptions.units(p.component2()) + " OPEN" + (p.component2().signum() == 0 ? ""
                : ", withdrawable from " + java.time.Instant.ofEpochSecond(p.component3().longValueExact()));
    }

    static Address address(String text) {
        return CliSecrets.userErrors(() -> Address.parse(text));
    }
}
