package org.openledger.studio.app.cli;

import java.util.List;
import org.openledger.studio.daemon.attribution.Attributions;
import org.openledger.studio.daemon.attribution.Fees;
import org.openledger.studio.daemon.rewards.RewardLedger;
import org.openledger.studio.wallet.Address;

/** The node's prices from its options, and attribution's credits as the reward ledger's feed. */
final class Pricing {

    private Pricing() {
    }

    /** @throws IllegalArgumentException naming the option that is not an amount of OPEN or is too large */
    static Fees.Price of(String in, String out, String platform, Address owner) {
        return new Fees.Price(Fees.priceWei(in, "--price-in"), Fees.priceWei(out, "--price-out"),
                Fees.priceWei(platform, "--platform-fee"), owner);
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
