package org.openledger.studio.app.cli.wallet;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.rewards.RewardProof;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.staking.RewardClaim;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code studio claim}: claims an account's rewards with the Merkle proof the node publishes for its newest epoch.
 * The proof is checked first (it verifies, its root is the distributor's, the contract would pay); then the review is
 * printed, and with {@code --yes} it is signed, broadcast and waited for, and the amount paid is read from the
 * {@code Claimed} event.
 */
@Command(name = "claim", mixinStandardHelpOptions = true,
        description = "Claim OPEN rewards from the RewardDistributor with the Merkle proof the node publishes for "
                + "its newest epoch. The full review is printed; it is signed and broadcast only with --yes.")
public final class ClaimCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, description = "The account that signs and pays gas (in the wallet).")
    String from;

    @Option(names = "--account", description = "The account whose rewards to claim (default: --from); the OPEN "
            + "always goes to it.")
    String account;

    @Mixin
    ChainOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Address owner = CliSecrets.userErrors(() -> Address.parse(account == null ? from : account));
        ChainInfo chain = options.chain();
        RewardProof answer = proof(owner);
        PrintWriter out = spec.commandLine().getOut();
        try (ChainOptions.Session s = options.open(chain, from)) {
            RewardClaim claims = CliSecrets.userErrors(() -> new RewardClaim(s.client, chain.contracts()));
            RewardClaim.Request request = CliSecrets.userErrors(() -> claims.request(s.from,
                    RewardClaim.Proof.parse(answer.account(), answer.epoch(), answer.cumulativeWei(), answer.proof(),
                            answer.root())));
            out.println("Claim for " + owner + ": epoch " + answer.epoch() + ", cumulative "
                    + ChainOptions.units(request.proof().cumulative()) + " OPEN, already claimed "
                    + ChainOptions.units(request.alreadyClaimed()) + " OPEN, this claim pays "
                    + ChainOptions.units(request.amount()) + " OPEN");
            RewardClaim.Claimed[] claimed = new RewardClaim.Claimed[1];
            TransactionReceipt receipt = s.send(out, "claim " + ChainOptions.units(request.amount()) + " OPEN for "
                    + owner, request.call().to(), BigInteger.ZERO, request.call().data(), hash -> CliSecrets
                    .userErrors(() -> claims.settle(s.outbox, hash, s.settleTimeout(), c -> claimed[0] = c)));
            if (receipt != null) {
                RewardClaim.Claimed c = claimed[0];
                BigInteger balance = Contracts.read(Contracts.token(s).balanceOf(owner.lowercase()), "the balance");
                out.println("Received " + ChainOptions.units(c.amount()) + " OPEN (" + c.amount() + " wei) for "
                        + c.account() + " in block " + c.block() + "; cumulative claimed "
                        + ChainOptions.units(c.cumulative()) + " OPEN; OPEN balance now "
                        + ChainOptions.units(balance));
                out.flush();
            }
        }
        return 0;
    }

    /** The node's proof for {@code owner}; nothing owed, an unreachable node... as one-line errors. */
    private RewardProof proof(Address owner) {
        try {
            return options.node().rewardProof(owner.toString());
        } catch (NodeClientException e) {
            if (e.status() == 404) {
                throw new UserError("Nothing to claim for " + owner + ": " + (e.error() != null
                        && e.error().error() != null ? e.error().error().message() : "the node has no rewards for it"));
            }
            throw new UserError("Cannot get the reward proof of " + owner + " from the node at " + options.url() + ": "
                    + e.getMessage());
        }
    }
}
