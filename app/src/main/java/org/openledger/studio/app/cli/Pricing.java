package org.openledger.studio.app.cli;

import java.util.List;
import org.openledger.studio.daemon.attribution.Attributions;
import org.openledger.studio.daemon.attribution.Fees;
import org.openledger.studio.daemon.rewards.RewardLedger;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Open;

/** The node's prices from its options, and attribution's credits as the reward ledger's feed. */
final class Pricing {

    private Pricing() {
    }

    /** @throws IllegalArgumentException naming the option that is not an amount of OPEN or is too large */
    static Fees.Price of(String in, String out, String platform, Address owner) {
        return new Fees.Price(wei(in, "--price-in"), wei(out, "--price-out"), wei(platform, "--platform-fee"), owner);
    }

    private static java.math.BigInteger wei(String open, String option) {
        try {
            java.math.BigInteger w = Open.parse(open).wei();
            if (w.compareTo(Fees.MAX_PRICE_WEI) > 0) {
                throw new IllegalArgumentException(option + " must be at most 1000000 OPEN, got " + open);
            }
            return w;
        } catch (Open.InvalidAmountException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    /** Each credit of a charged inference, keyed by its id, its reason naming the attribution record. */
    static RewardLedger.CreditFeed feed(Attributions attributions) {
        return after -> {
            List<Attributions.Credit> credits = attributions.creditsSince(after);
            return credits.stream().map(c -> new RewardLedger.CreditFeed.Fed(c.id(), "attribution-credit:" + c.id(),
                    c.account(), c.amountWei(), "attribution " + c.recordId() + " (" + c.role()
                    + (c.datanetId() == null ? "" : ", datanet " + c.datanetId()) + ")")).toList();
        };
    }
}
