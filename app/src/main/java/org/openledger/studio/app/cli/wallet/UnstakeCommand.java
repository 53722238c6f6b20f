package org.openledger.studio.app.cli.wallet;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.wallet.Address;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code studio unstake}: request to unstake (starts the cooldown) or, after it, withdraw; one reviewed transaction. */
@Command(name = "unstake", mixinStandardHelpOptions = true,
        description = "Unstake OPEN in the StakingVault's two steps: --amount requests it (the OPEN is unbonding for "
                + "the vault's cooldown), --withdraw pays out everything unbonding once the cooldown is over. The full "
                + "review is printed; it is signed and broadcast only with --yes.")
public final class UnstakeCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, description = "The staking account (in the wallet).")
    String from;

    @Option(names = "--target", required = true, description = "datanet:ID, model:ID or node:ID (decimal id or 0x + "
            + "64 hex digits).")
    String target;

    @Option(names = "--amount", description = "OPEN to request to unstake (up to 18 decimals).")
    String amount;

    @Option(names = "--withdraw", description = "Withdraw what is unbonding, after the cooldown.")
    boolean withdraw;

    @Mixin
    ChainOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if ((amount == null) == !withdraw) {
            throw new UserError("Give either --amount (request to unstake) or --withdraw (after the cooldown)");
        }
        StakeTarget t = StakeTarget.parse(target);
        BigInteger wei = amount == null ? null : ChainOptions.open(amount, "--amount");
        ChainInfo chain = options.chain();
        PrintWriter out = spec.commandLine().getOut();
        try (ChainOptions.Session s = options.open(chain, from)) {
            Address vault = s.contract("StakingVault", "unstake");
            boolean sent = withdraw
                    ? s.send(out, "withdraw the unbonding OPEN from " + target, vault, BigInteger.ZERO,
                            org.openledger.studio.wallet.staking.Staking.withdraw(vault, t.kindCode(), t.id()).data())
                    : s.send(out, "request to unstake " + amount + " OPEN from " + target + " (withdraw after the "
                            + "cooldown)", vault, BigInteger.ZERO, org.openledger.studio.wallet.staking.Staking
                            .requestUnstake(vault, t.kindCode(), t.id(), wei).data());
            if (sent) {
                out.println(Contracts.position(s, t));
                out.flush();
            }
        }
        return 0;
    }
}
