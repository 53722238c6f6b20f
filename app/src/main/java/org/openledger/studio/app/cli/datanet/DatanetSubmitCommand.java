package org.openledger.studio.app.cli.datanet;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.app.cli.wallet.ChainOptions;
import org.openledger.studio.datanet.onchain.DatanetChain;
import org.openledger.studio.datanet.onchain.OnChainStatus;
import org.openledger.studio.datanet.workspace.Workspace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code studio datanet submit CONTRIBUTION}: registers an uploaded contribution on chain with
 * {@code DatanetRegistry.contribute(datanetId, manifestRoot, rowCount, stake)}; with a stake, the StakingVault is
 * approved first, exactly as {@code studio stake} does. Everything that would make the transaction fail or repeat
 * (not uploaded, already submitted, stake above the balance...) is refused before anything is signed.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Register an uploaded contribution on chain (DatanetRegistry.contribute with the manifest's "
                + "Merkle root and row count), optionally staking OPEN behind it (the StakingVault is approved first). "
                + "Each transaction's full review is printed; it is signed and broadcast only with --yes.")
public final class DatanetSubmitCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONTRIBUTION", description = "The contribution's id (as `studio datanet "
            + "upload` and `history` print it).")
    long contribution;

    @Option(names = "--from", required = true, description = "The contributor's account (in the wallet); it must be "
            + "the account that signed the manifest.")
    String from;

    @Option(names = "--stake", description = "OPEN to stake behind the contribution (up to 18 decimals; default none).")
    String stake;

    @Mixin
    ChainOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BigInteger wei = stake == null ? BigInteger.ZERO : ChainOptions.open(stake, "--stake");
        ChainInfo info = options.chain();
        PrintWriter out = spec.commandLine().getOut();
        return WorkspaceOptions.userErrors(() -> {
            try (Workspace ws = DatanetChainCommands.workspace(options); ChainOptions.Session s = options.open(info,
                    from)) {
                DatanetChain chain = DatanetChainCommands.chain(ws, s, info);
                DatanetChain.Submission sub = chain.submission(contribution, s.from(), wei);
                int steps = sub.calls().size();
                if (steps == 2) {
                    DatanetChain.Call approve = sub.calls().get(0);
                    if (!s.send(out, "1/2 " + approve.description(), approve.to(), BigInteger.ZERO, approve.data())) {
                        out.println("Then 2/2: " + sub.contribute().description() + " on the DatanetRegistry, "
                                + "reviewed once the approval is mined (its gas cannot be estimated before).");
                        out.flush();
                        return 0;
                    }
                }
                DatanetChain.Call contribute = sub.contribute();
                var receipt = s.send(out, (steps == 2 ? "2/2 " : "") + contribute.description(), contribute.to(),
                        BigInteger.ZERO, contribute.data(), hash -> {
                            chain.recordBroadcast(sub, hash);
                            out.println("Sent " + hash + ": pending");
                            out.flush();
                            return chain.settle(contribution, s.outbox(), hash, s.settleTimeout());
                        });
                if (receipt != null) {
                    OnChainStatus st = chain.records().status(contribution);
                    if (st.stage() != OnChainStatus.Stage.CONFIRMED) {
                        throw new UserError("Contribution " + contribution + " is " + st.describe());
                    }
                    out.println("Contribution " + contribution + " on chain: " + st.describe() + ", Datanet "
                            + st.onChainDatanetId() + ", root " + sub.manifestRoot() + ", " + sub.rowCount()
                            + " rows, stake " + DatanetChain.units(st.stake()) + " OPEN");
                    out.flush();
                }
            }
            return 0;
        });
    }
}
