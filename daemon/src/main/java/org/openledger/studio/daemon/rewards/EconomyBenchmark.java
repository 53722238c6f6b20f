package org.openledger.studio.daemon.rewards;

import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.daemon.attribution.Fees;
import org.openledger.studio.wallet.Address;

/**
 * {@code studio bench attribution --economy}: the fees, credits and payouts of a simulated epoch of attributed
 * inferences over many contributors, and how long each step of settling it takes: charging every inference
 * ({@link Fees}), taking the credits into the reward ledger (SQLite), and settling (the cumulative Merkle tree over
 * every account, stored) plus a proof per account. The chain is an in-memory stand-in that only records the posted
 * root (posting a root is one transaction whatever the epoch's size, so it is left out of the timing).
 */
public final class EconomyBenchmark {

    public record Options(int inferences, int contributors, long seed, Path workDir) {
    }

    private EconomyBenchmark() {
    }

    public static void run(Options o, PrintStream out) throws Exception {
        SplittableRandom rnd = new SplittableRandom(o.seed());
        List<String> people = new ArrayList<>();
        for (int i = 0; i < o.contributors(); i++) {
            people.add(String.format(Locale.ROOT, "0x%040x", 0x1000 + i));
        }
        Address owner = Address.parse(String.format(Locale.ROOT, "0x%040x", 0xa1));
        Address platform = Address.parse(String.format(Locale.ROOT, "0x%040x", 0xb2));
        Fees fees = new Fees(Fees.Split.DEFAULT, platform);
        BigInteger milli = BigInteger.TEN.pow(15);
        Fees.Price price = new Fees.Price(milli.multiply(BigInteger.TEN), milli.multiply(BigInteger.valueOf(20)),
                milli, owner);
        Map<String, BigInteger> stakes = Map.of(String.format(Locale.ROOT, "0x%040x", 0xc1), BigInteger.valueOf(3),
                String.format(Locale.ROOT, "0x%040x", 0xc2), BigInteger.ONE);

        long t0 = System.nanoTime();
        List<RewardLedger.CreditFeed.Fed> credits = new ArrayList<>();
        BigInteger collected = BigInteger.ZERO;
        Map<String, BigInteger> byRole = new LinkedHashMap<>();
        for (int i = 0; i < o.inferences(); i++) {
            // a few influential contributors per answer, Zipf-like: the popular ones are credited more often
            int k = 1 + rnd.nextInt(5);
            List<AttributionRecord.ContributorShare> shares = new ArrayList<>();
            double left = 1.0;
            for (int j = 0; j < k; j++) {
                int who = (int) Math.min(o.contributors() - 1, Math.floor(Math.pow(rnd.nextDouble(), 2) * o.contributors()));
                double share = j == k - 1 ? left * 0.9 : left * rnd.nextDouble() * 0.6;
                left -= share;
                shares.add(new AttributionRecord.ContributorShare(people.get(who), share));
            }
            AttributionRecord r = new AttributionRecord("attr-" + Integer.toHexString(i), "attribution", "done", 0L,
                    "m", "m", "", List.of(), List.of(), shares, List.of(), 0, 1.0, 0.0, null);
            AttributionRecord.Charge c = fees.charge(r, price, 20 + rnd.nextInt(200), 10 + rnd.nextInt(100), stakes);
            collected = collected.add(new BigInteger(c.feeWei()));
            for (AttributionRecord.Credit credit : c.credits()) {
                credits.add(new RewardLedger.CreditFeed.Fed(credits.size() + 1, "bench:" + credits.size(),
                        credit.account(), credit.amountWei(), "attribution " + r.id() + " (" + credit.role() + ")"));
                byRole.merge(credit.role(), new BigInteger(credit.amountWei()), BigInteger::add);
            }
        }
        long charged = System.nanoTime();
        Files.createDirectories(o.workDir());
        try (RewardLedger ledger = RewardLedger.open(o.workDir(), new InMemoryChain(), Clock.systemUTC())) {
            ledger.feedFrom(after -> credits.subList((int) Math.min(after, credits.size()), credits.size()));
            long before = System.nanoTime();
            ledger.credits(null);
            long takenIn = System.nanoTime();
            var epoch = ledger.settle();
            long settled = System.nanoTime();
            int proofs = 0;
            for (String account : epoch.cumulative().keySet()) {
                ledger.proof(account);
                proofs++;
            }
            long proved = System.nanoTime();
            BigInteger credited = byRole.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
            out.printf(Locale.ROOT, "simulated epoch: %,d inferences over %,d contributors (seed %d), default split"
                    + " 0.2/0.3/0.5, 2 stakers 3:1%n", o.inferences(), o.contributors(), o.seed());
            out.printf(Locale.ROOT, "fees collected   %s OPEN%n", open(collected));
            byRole.forEach((role, wei) -> out.printf(Locale.ROOT, "  to %-12s %s OPEN%n", role, open(wei)));
            out.printf(Locale.ROOT, "credited         %s OPEN (%s the fees)%n", open(credited),
                    credited.equals(collected) ? "equal to" : "NOT equal to");
            out.printf(Locale.ROOT, "credits          %,d, to %,d accounts%n", credits.size(), epoch.cumulative().size());
            out.printf(Locale.ROOT, "charging         %8.1f ms (%.1f us an inference)%n", (charged - t0) / 1e6,
                    (charged - t0) / 1e3 / o.inferences());
            out.printf(Locale.ROOT, "ledger take-in   %8.1f ms%n", (takenIn - before) / 1e6);
            out.printf(Locale.ROOT, "settle (tree)    %8.1f ms%n", (settled - takenIn) / 1e6);
            out.printf(Locale.ROOT, "%,d proofs       %8.1f ms%n", proofs, (proved - settled) / 1e6);
        }
    }

    private static String open(BigInteger wei) {
        return org.openledger.studio.wallet.Open.ofWei(wei).toOpenString();
    }

}
