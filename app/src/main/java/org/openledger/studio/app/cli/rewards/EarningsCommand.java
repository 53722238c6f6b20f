package org.openledger.studio.app.cli.rewards;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.rewards.Earnings;
import org.openledger.studio.app.cli.NodeConnection;
import org.openledger.studio.app.cli.wallet.ChainOptions;
import org.openledger.studio.wallet.Address;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code studio rewards earnings --account A}: what an account earned, per epoch, role and model, and claimable. */
@Command(name = "earnings", mixinStandardHelpOptions = true,
        description = "What an account earned on the node: in total, per epoch, per role (contributor, owner,"
                + " platform) and per model, settled or not, and what it can claim now.")
final class EarningsCommand implements Callable<Integer> {

    @Mixin
    NodeConnection node;

    @Option(names = "--account", required = true, description = "The account (0x address).")
    String account;

    @Option(names = "--json", description = "Print the earnings as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            Address.parse(account);
        } catch (RuntimeException e) {
            throw new org.openledger.studio.app.cli.UserError("--account: " + e.getMessage());
        }
        var client = node.client();
        Earnings e = Earnings.of(account, client.rewardCredits(account), client.rewardEpochs().data());
        Map<String, BigInteger> byModel = new LinkedHashMap<>();
        for (Map.Entry<String, String> r : e.byRecord().entrySet()) {
            String model;
            try {
                model = client.attribution(r.getKey()).model();
            } catch (NodeClientException x) {
                model = "(record not found)";
            }
            byModel.merge(model, new BigInteger(r.getValue()), BigInteger::add);
        }
        String claimable;
        try {
            claimable = client.rewardProof(account).claimableWei();
        } catch (NodeClientException x) {
            claimable = x.status() == 404 ? "0" : null;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("earnings", e);
            Map<String, String> models = new LinkedHashMap<>();
            byModel.forEach((k, v) -> models.put(k, v.toString()));
            all.put("by_model", models);
            all.put("claimable_wei", claimable);
            out.println(Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(all));
        } else {
            out.println("Earnings of " + account + ": " + open(e.totalWei()) + " OPEN in total, " + open(e.settledWei())
                    + " settled, " + open(e.unsettledWei()) + " not settled yet; claimable now "
                    + (claimable == null ? "unknown" : open(claimable)) + " OPEN");
            for (Earnings.EpochEarning x : e.epochs()) {
                out.println("  epoch " + x.epoch() + ": " + open(x.earnedWei()) + " OPEN (cumulative "
                        + open(x.cumulativeWei()) + ")");
            }
            e.byRole().forEach((role, wei) -> out.println("  as " + role + ": " + open(wei) + " OPEN"));
            byModel.forEach((model, wei) -> out.println("  from " + model + ": " + ChainOptions.units(wei) + " OPEN"));
            e.byDatanet().forEach((datanet, wei) -> out.println("  through Datanet " + datanet + ": " + open(wei)
                    + " OPEN"));
        }
        out.flush();
        return 0;
    }

    private static String open(String wei) {
        return ChainOptions.units(new BigInteger(wei));
    }
}
