package org.openledger.studio.app.crash;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.rewards.CreditRequest;
import org.openledger.studio.api.rewards.RewardCredit;
import org.openledger.studio.api.rewards.RewardEpoch;
import org.openledger.studio.app.Cast;

/**
 * (d) Reward settlement on the node's own devnet (anvil started by the node, the RewardDistributor deployed by it),
 * killed after the epoch is recorded and before its root is sent, after the root is on chain and before the ledger
 * knows, or at a random moment. Invariants: every acknowledged credit kept once; every epoch posted once, each
 * posted epoch's root on chain under its number and no root on chain the ledger does not know; the newest epoch owes
 * each account exactly its credits; the chain the node restarts on is the one it was killed on (its anvil neither
 * outlives it nor forgets what it mined); SQLite files intact.
 */
final class RewardSettlementCrash {

    private static final List<String> ACCOUNTS = List.of("0x90f79bf6eb2c4f870365e785982e1f101e93b906",
            "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65", "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc");

    private RewardSettlementCrash() {
    }

    static void run(Path dir, int points, long seed, CrashTable.Row row) throws Exception {
        KillPlan plan = new KillPlan(seed, List.of(new KillPlan.Hook("rewards.recorded", 1),
                new KillPlan.Hook("rewards.posted", 1)), 1500);
        Path data = dir.resolve("node");
        List<String> args = List.of("--no-model");
        Map<String, BigInteger> owed = new HashMap<>();
        Map<String, String> kept = new LinkedHashMap<>(); // reason -> account
        ExecutorService settling = Executors.newSingleThreadExecutor();
        int life = 0;
        try {
            for (int i = 0; i < points; i++) {
                KillPlan.Point p = plan.next();
                DaemonChild node = DaemonChild.start(dir, data, p.crashAt(), args, true, life++);
                if (i > 0) {
                    row.restarts++;
                }
                if (Kills.haltedAtStart(node, p, dir, row)) {
                    continue;
                }
                row.check(Chains.anvilsOf(data).size() == 1, "after " + p + ": " + Chains.anvilsOf(data).size()
                        + " anvils run on " + data.resolve("chain"));
                NodeClient c = node.client();
                String account = ACCOUNTS.get(plan.random().nextInt(ACCOUNTS.size()));
                BigInteger wei = BigInteger.valueOf(1 + plan.random().nextInt(1_000_000)).multiply(BigInteger.TEN
                        .pow(12));
                String reason = "crash point " + i;
                c.addRewardCredits(new CreditRequest(account, wei.toString(), reason, null));
                kept.put(reason, account);
                owed.merge(account, wei, BigInteger::add);
                Future<RewardEpoch> settle = settling.submit(c::settleRewards);
                Kills.land(node, p, settle, Duration.ofSeconds(120), row);
                Kills.checkFiles(dir, row, p);
            }
            DaemonChild node = DaemonChild.start(dir, data, null, args, true, life++);
            row.restarts++;
            NodeClient c = node.client();
            for (int tries = 0; tries < 3; tries++) {
                try {
                    c.settleRewards();
                } catch (RuntimeException nothingLeft) {
                    break;
                }
            }
            List<RewardCredit> credits = c.rewardCredits(null).data();
            Map<String, Integer> seen = new HashMap<>();
            credits.forEach(cr -> seen.merge(cr.reason(), 1, Integer::sum));
            for (String reason : kept.keySet()) {
                row.check(seen.getOrDefault(reason, 0) == 1, "credit '" + reason + "' is kept "
                        + seen.getOrDefault(reason, 0) + " times");
            }
            row.check(credits.size() == kept.size(), credits.size() + " credits kept, " + kept.size() + " given");
            List<RewardEpoch> epochs = c.rewardEpochs().data();
            ChainInfo chain = c.chain();
            String distributor = chain.contracts().get("RewardDistributor");
            Map<Long, String> onChain = rootsPosted(distributor, chain.rpcUrl(), row);
            long posted = 0;
            long newest = 0;
            RewardEpoch latest = null;
            for (RewardEpoch e : epochs) {
                row.check(RewardEpoch.POSTED.equals(e.state()), "epoch " + e.epoch() + " is " + e.state() + ": "
                        + e.error());
                if (RewardEpoch.POSTED.equals(e.state())) {
                    posted++;
                    row.check(e.root().equalsIgnoreCase(onChain.get(e.epoch())), "epoch " + e.epoch() + " posted "
                            + e.root() + " but the chain holds " + onChain.get(e.epoch()));
                    if (e.epoch() > newest) {
                        newest = e.epoch();
                        latest = e;
                    }
                }
            }
            row.check(onChain.size() == posted, onChain.size() + " roots on chain for " + posted + " posted epochs");
            row.check(latest != null, "no epoch posted");
            if (latest != null) {
                for (var e : owed.entrySet()) {
                    String cumulative = latest.cumulative().entrySet().stream()
                            .filter(x -> x.getKey().equalsIgnoreCase(e.getKey())).map(Map.Entry::getValue)
                            .findFirst().orElse(null);
                    row.check(e.getValue().toString().equals(cumulative), "epoch " + latest.epoch() + " owes "
                            + e.getKey() + " " + cumulative + ", its credits sum to " + e.getValue());
                }
                String current = Cast.run("call", distributor, "currentEpoch()(uint256)", "--rpc-url",
                        chain.rpcUrl()).split(" ")[0];
                row.check(String.valueOf(newest).equals(current), "the contract's currentEpoch is " + current
                        + ", the newest posted epoch " + newest);
            }
            node.stop();
            row.check(Chains.anvilsOf(data).isEmpty(), "anvil outlived the node's orderly stop");
        } finally {
            settling.shutdownNow();
            settling.awaitTermination(30, TimeUnit.SECONDS);
            Chains.stopAnvilsOf(data);
        }
        Kills.checkFiles(dir, row, null);
        row.points = points;
    }

    /** Every RootPosted event of the distributor: epoch to root; an epoch posted twice is a violation. */
    private static Map<Long, String> rootsPosted(String distributor, String rpc, CrashTable.Row row)
            throws Exception {
        JsonNode logs = Wire.mapper().readTree(Cast.run("logs", "--from-block", "0", "--address", distributor,
                "RootPosted(uint256 indexed,bytes32)", "--rpc-url", rpc, "--json"));
        Map<Long, String> out = new HashMap<>();
        for (JsonNode l : logs) {
            long epoch = new BigInteger(l.path("topics").get(1).asText().substring(2), 16).longValueExact();
            String root = l.path("data").asText();
            row.check(out.put(epoch, root) == null, "epoch " + epoch + " has two roots on chain");
        }
        return out;
    }
}
