package org.openledger.studio.app.cli.wallet;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.Callable;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.staking.Staking;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code studio stake}: approve the staking vault, then stake OPEN behind a target; two reviewed transactions. */
@Command(name = "stake", mixinStandardHelpOptions = true,
        description = "Stake OPEN behind a Datanet, a model/adapter or a node: approve the StakingVault (skipped when "
                + "the allowance already covers it), then stake. Each transaction's full review is printed; it is "
                + "signed and broadcast only with --yes.")
public final class StakeCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, description = "The staking account (in the wallet).")
    String from;

    @Option(names = "--target", required = true, description = "datanet:ID, model:ID or node:ID (decimal id or 0x + "
            + "64 hex digits).")
    String target;

    @Option(names = "--amount", required = true, description = "OPEN to stake (up to 18 decimals).")
    String amount;

    @Mixin
    ChainOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StakeTarget t = StakeTarget.parse(target);
        BigInteger wei = ChainOptions.open(amount, "--amount");
        ChainInfo chain = options.chain();
        PrintWriter out = spec.commandLine().getOut();
        try (ChainOptions.Session s = options.open(chain, from)) {
            Address vault = s.contract("StakingVault", "stake");
            Address token = s.contract("OpenToken", "stake");
            BigInteger allowance = Staking.allowance(s.client, token, s.from, vault);
            List<Staking.Call> calls = Staking.stake(allowance, token, vault, t.kindCode(), t.id(), wei);
            boolean approve = calls.get(0).step() == Staking.Step.APPROVE;
            if (approve) {
                boolean sent = s.send(out, "1/2 approve the StakingVault to take " + amount + " OPEN",
                        calls.get(0).to(), BigInteger.ZERO, calls.get(0).data());
                if (!sent) {
                    out.println("Then 2/2: stake(kind=" + t.kindCode() + ", target=" + target + ", amount=" + wei
                            + ") on the StakingVault, reviewed once the approval is mined (its gas cannot be "
                            + "estimated before).");
                    out.flush();
                    return 0;
                }
            }
            Staking.Call stake = calls.get(calls.size() - 1);
            if (s.send(out, (approve ? "2/2 " : "") + "stake " + amount + " OPEN behind " + target, stake.to(),
                    BigInteger.ZERO, stake.data())) {
                out.println(Contracts.position(s, t));
                out.flush();
            }
        }
        return 0;
    }
}
