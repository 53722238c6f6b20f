package org.openledger.studio.app.cli.rewards;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.Callable;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.rewards.CreditRequest;
import org.openledger.studio.api.rewards.RewardCredit;
import org.openledger.studio.api.rewards.RewardCredits;
import org.openledger.studio.api.rewards.RewardEpoch;
import org.openledger.studio.api.rewards.RewardProof;
import org.openledger.studio.app.cli.NodeConnection;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.app.cli.wallet.ChainOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code studio rewards ...}: the node's reward ledger, for its operator. Credits (until attribution adds them from
 * inference fees), settling them into an epoch whose root the node posts on chain, the epochs, and what an account
 * can claim ({@code studio claim} claims it).
 */
@Command(name = "rewards", mixinStandardHelpOptions = true,
        description = "The node's reward ledger: credit OPEN to accounts, settle the credits into an epoch (its "
                + "Merkle root posted to the RewardDistributor), list epochs, show what an account can claim. "
                + "`studio claim` claims it.",
        subcommands = {RewardsCommand.Credit.class, RewardsCommand.Settle.class, RewardsCommand.Epochs.class,
                RewardsCommand.Show.class, EarningsCommand.class})
public final class RewardsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UserError("name what to do: credit, settle, epochs or show (studio rewards --help)");
    }

    /** {@code studio rewards credit}: one credit on the node's ledger. */
    @Command(name = "credit", mixinStandardHelpOptions = true,
            description = "Credit OPEN to an account on the node's ledger (paid once an epoch is settled and the "
                    + "account claims).")
    static final class Credit implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @Option(names = "--account", required = true, description = "The account owed (0x address).")
        String account;

        @Option(names = "--amount", required = true, description = "OPEN owed (up to 18 decimals).")
        String amount;

        @Option(names = "--reason", description = "Why, kept with the credit (default: operator credit).")
        String reason;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            BigInteger wei = ChainOptions.open(amount, "--amount");
            RewardCredits kept = node.client().addRewardCredits(CreditRequest.of(List.of(RewardCredit.of(account,
                    wei.toString(), reason))));
            PrintWriter out = spec.commandLine().getOut();
            for (RewardCredit c : kept.data()) {
                out.println("Credit #" + c.id() + ": " + ChainOptions.units(new BigInteger(c.amountWei())) + " OPEN to "
                        + c.account() + " (" + c.reason() + "); settle to put it on chain");
            }
            out.flush();
            return 0;
        }
    }

    /** {@code studio rewards settle}: posts an epoch. */
    @Command(name = "settle", mixinStandardHelpOptions = true,
            description = "Settle every credit so far into a new epoch: the node makes sure the RewardDistributor "
                    + "holds what is owed and posts the epoch's Merkle root (finishing an epoch a crash left "
                    + "unposted first).")
    static final class Settle implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            RewardEpoch e = node.client().settleRewards();
            PrintWriter out = spec.commandLine().getOut();
            out.println("Epoch " + e.epoch() + " " + e.state() + ": root " + e.root() + ", " + e.cumulative().size()
                    + " account(s), " + ChainOptions.units(new BigInteger(e.totalWei())) + " OPEN cumulative"
                    + (e.txHash() == null ? "" : ", tx " + e.txHash() + " in block " + e.block()));
            BigInteger funded = new BigInteger(e.fundedWei());
            if (funded.signum() > 0) {
                out.println("The node sent the RewardDistributor " + ChainOptions.units(funded) + " OPEN first, so "
                        + "it can pay every claim");
            }
            out.flush();
            return 0;
        }
    }

    /** {@code studio rewards epochs}: every epoch. */
    @Command(name = "epochs", mixinStandardHelpOptions = true, description = "List the node's reward epochs, "
            + "newest first.")
    static final class Epochs implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @Option(names = "--json", description = "Print the node's answer as JSON.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var epochs = node.client().rewardEpochs();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(epochs));
            } else if (epochs.data().isEmpty()) {
                out.println("No epochs yet: credit accounts, then `studio rewards settle`");
            }
            for (RewardEpoch e : json ? List.<RewardEpoch>of() : epochs.data()) {
                out.println("epoch " + e.epoch() + "  " + e.state() + "  " + e.cumulative().size() + " account(s)  "
                        + ChainOptions.units(new BigInteger(e.totalWei())) + " OPEN  root " + e.root()
                        + (e.block() == null ? "" : "  block " + e.block() + "  tx " + e.txHash())
                        + (e.error() == null ? "" : "  (" + e.error() + ")"));
            }
            out.flush();
            return 0;
        }
    }

    /** {@code studio rewards show}: what accounts can claim. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show what an account (or every account "
            + "of the newest epoch) can claim now: cumulative, already claimed, claimable.")
    static final class Show implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @Option(names = "--account", description = "One account (default: every account of the newest posted "
                + "epoch).")
        String account;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            NodeClient client = node.client();
            PrintWriter out = spec.commandLine().getOut();
            if (account != null) {
                out.println(line(proof(client, account)));
                out.flush();
                return 0;
            }
            RewardEpoch newest = client.rewardEpochs().data().stream().filter(e -> RewardEpoch.POSTED.equals(
                    e.state())).findFirst().orElse(null);
            if (newest == null) {
                RewardCredits credits = client.rewardCredits(null);
                out.println("No epoch posted yet; " + credits.data().size() + " credit(s), "
                        + ChainOptions.units(new BigInteger(credits.totalWei())) + " OPEN, wait for `studio rewards "
                        + "settle`");
            } else {
                for (String a : newest.cumulative().keySet()) {
                    out.println(line(proof(client, a)));
                }
            }
            out.flush();
            return 0;
        }

        private static RewardProof proof(NodeClient client, String account) {
            try {
                return client.rewardProof(account);
            } catch (NodeClientException e) {
                if (e.status() == 404 && e.error() != null && e.error().error() != null) {
                    throw new UserError(e.error().error().message());
                }
                throw e;
            }
        }

        private static String line(RewardProof p) {
            return p.account() + "  epoch " + p.epoch() + "  cumulative "
                    + ChainOptions.units(new BigInteger(p.cumulativeWei())) + " OPEN  claimed "
                    + ChainOptions.units(new BigInteger(p.claimedWei())) + " OPEN  claimable "
                    + ChainOptions.units(new BigInteger(p.claimableWei())) + " OPEN";
        }
    }
}
