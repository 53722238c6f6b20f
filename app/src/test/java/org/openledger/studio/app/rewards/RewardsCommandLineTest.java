package org.openledger.studio.app.rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openledger.studio.app.InJvmCli.args;
import static org.openledger.studio.app.InJvmCli.ok;
import static org.openledger.studio.app.InJvmCli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.rewards.CreditRequest;
import org.openledger.studio.api.rewards.RewardCredit;
import org.openledger.studio.api.rewards.RewardEpoch;
import org.openledger.studio.api.rewards.RewardProof;
import org.openledger.studio.app.Cast;
import org.openledger.studio.app.FreshKey;
import org.openledger.studio.app.InJvmCli.Run;
import org.openledger.studio.app.InJvmCli;
import org.openledger.studio.app.StudioDaemon;

/**
 * Rewards end to end against a real {@code studio daemon} and its devnet: credits through the node's API and
 * {@code studio rewards credit}, bad credits refused with 400 JSON, {@code studio rewards settle} posting epochs,
 * the proof ({@code 404} for an account with nothing), and {@code studio claim} paying exactly the credit, refusing a
 * second claim with the contract's decoded {@code NothingToClaim}, and paying only the difference after a new epoch.
 */
class RewardsCommandLineTest {

    private static final String BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
    private static final String NOBODY = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";

    @TempDir
    Path dir;

    @Test
    void creditSettleClaimOnceAndThenOnlyTheDifference() throws Exception {
        try (StudioDaemon daemon = StudioDaemon.in(dir).startWithChain(90)) {
            NodeClient node = daemon.client();
            ChainInfo chain = node.chain();
            String openToken = chain.contracts().get("OpenToken");
            String rpc = chain.rpcUrl();
            assertTrue(node.node().capabilities().stream().anyMatch(c -> c.name().equals("settlement")
                    && c.available()), "the node offers settlement");

            Path password = Files.writeString(dir.resolve("password"), "claim me\n");
            String wallet = dir.resolve("wallet").toString();
            String me = FreshKey.importWithCli(dir.resolve("key"), (byte) 0x12, password, "--wallet-dir", wallet);
            node.faucet(me);
            assertEquals("1000000000000000000000", Cast.openOf(openToken, me, rpc));
            List<String> at = daemon.at();
            List<String> signer = List.of(args(List.of("--from", me, "--wallet-dir", wallet, "--password-file",
                    password.toString()), at));

            // nothing yet: no epoch, nothing to settle, nothing to claim (and nothing sent)
            oneLineError(run(args(List.of("rewards", "show", "--account", me), at)), "no reward epoch is posted");
            oneLineError(run(args(List.of("rewards", "settle"), at)), "no reward credits yet");
            oneLineError(run(args(List.of("claim", "--yes"), signer)), "nothing to claim for " + me);

            // bad credits: 400 JSON naming the field, nothing kept
            badCredit(node, RewardCredit.of(me, "-5", null), "amount_wei");
            badCredit(node, RewardCredit.of(me, "0", null), "amount_wei");
            badCredit(node, RewardCredit.of(me, "ten", null), "amount_wei");
            badCredit(node, RewardCredit.of(me, "1.5", null), "amount_wei");
            badCredit(node, RewardCredit.of("0x1234", "5", null), "account");
            badCredit(node, RewardCredit.of("0x" + "g".repeat(40), "5", null), "account");
            badCredit(node, RewardCredit.of(null, "5", null), "account");
            badCredit(node, RewardCredit.of(me, null, null), "amount_wei");
            badCredit(node, RewardCredit.of(me, "1" + "0".repeat(28), null), "amount_wei");
            badCredit(node, RewardCredit.of("0x3c44cdddb6a900fa2b585dd299e03d12fa4293BC", "5", null), "account");
            NodeClientException list = assertThrows(NodeClientException.class, () -> node.addRewardCredits(
                    CreditRequest.of(List.of(RewardCredit.of(BOB, "5", null), RewardCredit.of(BOB, "-1", null)))));
            assertEquals(400, list.status());
            assertEquals("credits[1].amount_wei", list.error().error().param());
            NodeClientException badQuery = assertThrows(NodeClientException.class, () -> node.rewardCredits("nope"));
            assertEquals(400, badQuery.status());
            assertEquals("0", node.rewardCredits(null).totalWei(), "no bad credit was kept, not even the good half");
            oneLineError(run(args(List.of("rewards", "credit", "--account", me, "--amount", "-1"), at)), "--amount");
            oneLineError(run(args(List.of("rewards", "credit", "--account", me, "--amount", "0"), at)), "--amount");
            oneLineError(run(args(List.of("rewards", "credit", "--account", me, "--amount", "lots"), at)), "--amount");
            oneLineError(run(args(List.of("rewards", "credit", "--account", "0xbad", "--amount", "1"), at)),
                    "answered 400");

            // credit 12.5 OPEN, settle, claim: the balance goes up by exactly the credit
            String credited = ok(args(List.of("rewards", "credit", "--account", me, "--amount", "12.5", "--reason",
                    "answers about contract law"), at));
            assertTrue(credited.startsWith("Credit #1: 12.5 OPEN to " + me + " (answers about contract law)"),
                    credited);
            assertEquals("12500000000000000000", node.rewardCredits(me).totalWei());
            String settled = ok(args(List.of("rewards", "settle"), at));
            assertTrue(settled.startsWith("Epoch 1 posted: root 0x") && settled.contains("1 account(s), 12.5 OPEN "
                    + "cumulative, tx 0x"), settled);
            oneLineError(run(args(List.of("rewards", "settle"), at)), "no credits since epoch 1");
            assertEquals("12.5", ok(args(List.of("rewards", "show", "--account", me), at)).replaceAll(
                    ".*claimable (\\S+) OPEN$", "$1"));
            NodeClientException unknown = assertThrows(NodeClientException.class, () -> node.rewardProof(NOBODY));
            assertEquals(404, unknown.status());
            assertEquals("not_found", unknown.error().error().code());
            assertTrue(unknown.error().error().message().contains("has no rewards in epoch 1"),
                    unknown.getMessage());

            String review = ok(args(List.of("claim"), signer));
            for (String field : List.of("Claim for " + me + ": epoch 1, cumulative 12.5 OPEN, already claimed 0 OPEN, "
                    + "this claim pays 12.5 OPEN", "Review: claim 12.5 OPEN for " + me, "(RewardDistributor)",
                    "Call:        RewardDistributor.claim(", "12500000000000000000", "Not sent")) {
                assertTrue(review.contains(field), field + " in:\n" + review);
            }
            assertEquals("1000000000000000000000", Cast.openOf(openToken, me, rpc), "nothing was sent");
            String claimed = ok(args(List.of("claim", "--yes", "--fee", "fast"), signer));
            assertTrue(claimed.contains("(fee level fast)"), claimed);
            assertTrue(claimed.contains("Mined: 0x"), claimed);
            assertTrue(claimed.contains("Received 12.5 OPEN (12500000000000000000 wei) for " + me), claimed);
            assertTrue(claimed.endsWith("OPEN balance now 1012.5"), claimed);
            assertEquals("1012500000000000000000", Cast.openOf(openToken, me, rpc), "up by exactly the credit");
            RewardProof after = node.rewardProof(me);
            assertEquals("12500000000000000000", after.claimedWei());
            assertEquals("0", after.claimableWei());

            // a second claim: the contract's NothingToClaim, decoded, in one line; nothing sent
            Run twice = run(args(List.of("claim", "--yes"), signer));
            oneLineError(twice, "NothingToClaim(12500000000000000000, 12500000000000000000)");
            assertEquals("1012500000000000000000", Cast.openOf(openToken, me, rpc));

            // more credits, a new epoch: the claim pays only the difference
            ok(args(List.of("rewards", "credit", "--account", me, "--amount", "7.5"), at));
            var batch = node.addRewardCredits(CreditRequest.of(List.of(RewardCredit.of(BOB, "3000000000000000000",
                    "datanet rows"), RewardCredit.of(BOB, "1000000000000000000", null))));
            assertEquals(2, batch.data().size());
            assertEquals("4000000000000000000", batch.totalWei());
            assertEquals("operator credit", batch.data().get(1).reason());
            String second = ok(args(List.of("rewards", "settle"), at));
            assertTrue(second.startsWith("Epoch 2 posted") && second.contains("2 account(s), 24 OPEN cumulative"),
                    second);
            String show = ok(args(List.of("rewards", "show"), at));
            assertTrue(show.contains(me + "  epoch 2  cumulative 20 OPEN  claimed 12.5 OPEN  claimable 7.5 OPEN"),
                    show);
            assertTrue(show.contains(BOB + "  epoch 2  cumulative 4 OPEN  claimed 0 OPEN  claimable 4 OPEN"), show);
            String again = ok(args(List.of("claim", "--yes"), signer));
            assertTrue(again.contains("this claim pays 7.5 OPEN"), again);
            assertTrue(again.contains("Received 7.5 OPEN"), again);
            assertEquals("1020000000000000000000", Cast.openOf(openToken, me, rpc), "only the difference");

            List<RewardEpoch> epochs = node.rewardEpochs().data();
            assertEquals(List.of(2L, 1L), epochs.stream().map(RewardEpoch::epoch).toList());
            assertTrue(epochs.stream().allMatch(e -> RewardEpoch.POSTED.equals(e.state()) && e.block() != null
                    && e.txHash() != null));
            assertEquals(Map.of(me, "20000000000000000000", BOB, "4000000000000000000"), epochs.get(0).cumulative());
            String listed = ok(args(List.of("rewards", "epochs"), at));
            assertEquals(2, listed.lines().count(), listed);
            assertTrue(listed.startsWith("epoch 2  posted  2 account(s)  24 OPEN  root 0x"), listed);
            assertEquals("2", Cast.run("call", chain.contracts().get("RewardDistributor"), "currentEpoch()(uint256)",
                    "--rpc-url", rpc));

            // an account with nothing, and a node that does not answer: one line, nothing sent
            oneLineError(run(args(List.of("claim", "--account", NOBODY, "--yes"), signer)), "has no rewards in "
                    + "epoch 2");
            oneLineError(run("claim", "--yes", "--from", me, "--wallet-dir", wallet, "--password-file",
                    password.toString(), "--url", "http://127.0.0.1:1", "--token-file", daemon.tokenFile().toString()),
                    "cannot ask the node");
            assertEquals("1020000000000000000000", Cast.openOf(openToken, me, rpc));
        }
    }

    private static void badCredit(NodeClient node, RewardCredit credit, String param) {
        NodeClientException e = assertThrows(NodeClientException.class, () -> node.addRewardCredits(
                new CreditRequest(credit.account(), credit.amountWei(), credit.reason(), null)));
        assertEquals(400, e.status(), e.getMessage());
        assertNotNull(e.error(), "a JSON error body");
        assertEquals(param, e.error().error().param(), e.getMessage());
        assertEquals("invalid_request_error", e.error().error().type());
    }



    private static void oneLineError(Run r, String mentions) {
        InJvmCli.assertOneLineError(r, mentions);
        assertTrue(r.out().isBlank(), "nothing on stdout: " + r.out());
    }




}
