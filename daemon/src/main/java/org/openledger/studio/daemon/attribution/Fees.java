package org.openledger.studio.daemon.attribution;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.Pricing;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Open;

/**
 * What a served inference costs and who it pays (OpenLedger's formula): fee = T_in/1000 · R_in + T_out/1000 · R_out
 * + F_platform, in wei, each product rounded down. The platform fee goes to the platform account; the rest (the net
 * fee) is split into the model owner's part β, the stakers' γ and the contributors' δ. The contributors' part is
 * shared by the record's contributor shares (positive influence only); what no contributor holds (rows of inline
 * training data, rounding, an attribution that failed) goes to the owner, as does the stakers' part while no stakers
 * are known. Every wei is accounted for: platform + owner + stakers + contributors = fee.
 */
public final class Fees {

    /** The most a price may be: a million OPEN per 1,000 tokens (or per inference for the platform fee). */
    public static final BigInteger MAX_PRICE_WEI = BigInteger.TEN.pow(24);
    private static final BigInteger THOUSAND = BigInteger.valueOf(1000);

    /** How the net fee is shared; the parts sum to 1. */
    public record Split(double owner, double stakers, double contributors) {

        /** @throws IllegalArgumentException when a part is outside [0, 1] or they do not sum to 1 */
        public Split {
            for (double d : new double[] {owner, stakers, contributors}) {
                if (!(d >= 0 && d <= 1)) {
                    throw new IllegalArgumentException("each part of the fee split must be in [0, 1], got owner "
                            + owner + ", stakers " + stakers + ", contributors " + contributors);
                }
            }
            if (Math.abs(owner + stakers + contributors - 1) > 1e-9) {
                throw new IllegalArgumentException("the fee split must sum to 1: owner " + owner + " + stakers "
                        + stakers + " + contributors " + contributors + " = " + (owner + stakers + contributors));
            }
        }

        public static final Split DEFAULT = new Split(0.2, 0.3, 0.5);
    }

    /**
     * A model's price in wei; {@code owner} is credited the owner's part (null: nobody known); the stakers behind
     * {@code stakeTargets} share the stakers' part.
     */
    public record Price(BigInteger inWei, BigInteger outWei, BigInteger platformWei, Address owner,
                        List<String> stakeTargets) {

        public Price {
            stakeTargets = stakeTargets == null ? List.of() : List.copyOf(stakeTargets);
        }

        public Price(BigInteger inWei, BigInteger outWei, BigInteger platformWei, Address owner) {
            this(inWei, outWei, platformWei, owner, List.of());
        }
    }

    private final Split split;
    private final Address platform;

    /** @param platform the account credited the platform fee, or null to keep it with the node */
    public Fees(Split split, Address platform) {
        this.split = split;
        this.platform = platform;
    }

    public Split split() {
        return split;
    }

    /** The charge of a served inference whose attribution is {@code r} ({@code r} failed: no contributor shares). */
    public AttributionRecord.Charge charge(AttributionRecord r, Price p, int tokensIn, int tokensOut) {
        return charge(r, p, tokensIn, tokensOut, Map.of());
    }

    /** As above; {@code stakes} maps each staker behind the model's targets to its active stake. */
    public AttributionRecord.Charge charge(AttributionRecord r, Price p, int tokensIn, int tokensOut,
                                           Map<String, BigInteger> stakes) {
        BigInteger fee = BigInteger.valueOf(tokensIn).multiply(p.inWei()).divide(THOUSAND)
                .add(BigInteger.valueOf(tokensOut).multiply(p.outWei()).divide(THOUSAND)).add(p.platformWei());
        BigInteger net = fee.subtract(p.platformWei());
        BigInteger ownerPart = part(net, split.owner());
        BigInteger stakersPart = part(net, split.stakers());
        BigInteger contributorsPart = net.subtract(ownerPart).subtract(stakersPart);
        List<String> notes = new ArrayList<>();
        // contributor and the Datanet whose rows earned it -> amount
        Map<List<String>, BigInteger> contributors = new LinkedHashMap<>();
        BigInteger toContributors = BigInteger.ZERO;
        if ("done".equals(r.state()) && (r.portions() != null || r.contributors() != null)) {
            List<AttributionRecord.Portion> portions = r.portions() != null ? r.portions()
                    : r.contributors().stream().map(c -> new AttributionRecord.Portion(c.contributor(), null,
                    c.share())).toList();
            for (AttributionRecord.Portion c : portions) {
                BigInteger amount = part(contributorsPart, Math.min(1, Math.max(0, c.share())));
                if (amount.signum() > 0) {
                    contributors.merge(java.util.Arrays.asList(c.contributor(), c.datanetId()), amount,
                            BigInteger::add);
                    toContributors = toContributors.add(amount);
                }
            }
        } else {
            notes.add("attribution " + r.state() + ": the contributors' part goes to the model owner");
        }
        BigInteger ownerTotal = ownerPart.add(contributorsPart.subtract(toContributors));
        if (contributorsPart.signum() > 0 && toContributors.compareTo(contributorsPart) < 0
                && "done".equals(r.state())) {
            notes.add("the share of rows without a credited contributor (inline training data, rows under challenge)"
                    + " goes to the model owner");
        }
        // the stakers' part, pro rata of active stake; with no stakers it goes to the owner, said in the record
        Map<String, BigInteger> stakers = new LinkedHashMap<>();
        BigInteger totalStake = stakes.values().stream().filter(v -> v.signum() > 0)
                .reduce(BigInteger.ZERO, BigInteger::add);
        BigInteger toStakers = BigInteger.ZERO;
        if (totalStake.signum() > 0) {
            for (Map.Entry<String, BigInteger> s : stakes.entrySet()) {
                if (s.getValue().signum() > 0) {
                    BigInteger amount = stakersPart.multiply(s.getValue()).divide(totalStake);
                    if (amount.signum() > 0) {
                        stakers.merge(s.getKey(), amount, BigInteger::add);
                        toStakers = toStakers.add(amount);
                    }
                }
            }
        } else if (stakersPart.signum() > 0) {
            notes.add("no stakers known for this model: the stakers' part goes to the model owner");
        }
        ownerTotal = ownerTotal.add(stakersPart.subtract(toStakers));
        List<AttributionRecord.Credit> credits = new ArrayList<>();
        if (platform != null && p.platformWei().signum() > 0) {
            credits.add(new AttributionRecord.Credit(platform.toString(), "platform", p.platformWei().toString()));
        } else if (p.platformWei().signum() > 0) {
            notes.add("no platform account: the platform fee stays with the node");
        }
        if (p.owner() != null && ownerTotal.signum() > 0) {
            credits.add(new AttributionRecord.Credit(p.owner().toString(), "owner", ownerTotal.toString()));
        } else if (ownerTotal.signum() > 0) {
            notes.add("no owner account set for this model: the owner's part stays with the node");
        }
        stakers.forEach((account, amount) -> credits.add(new AttributionRecord.Credit(account, "staker",
                amount.toString())));
        contributors.forEach((who, amount) -> credits.add(new AttributionRecord.Credit(who.get(0), "contributor",
                amount.toString(), who.get(1))));
        return new AttributionRecord.Charge(tokensIn, tokensOut, fee.toString(), p.platformWei().toString(),
                ownerTotal.toString(), toStakers.toString(), toContributors.toString(), List.copyOf(credits),
                notes.isEmpty() ? null : String.join("; ", notes), new Pricing.Split(split.owner(), split.stakers(),
                split.contributors()));
    }

    /** floor(amount · fraction), exactly, with the fraction as it is written (0.3, not its binary neighbour). */
    private static BigInteger part(BigInteger amount, double fraction) {
        return new BigDecimal(amount).multiply(BigDecimal.valueOf(fraction)).setScale(0, RoundingMode.FLOOR)
                .toBigIntegerExact();
    }

    /** A price from the wire (OPEN decimals), checked. */
    static Price price(Pricing.Price p) throws AttributionException {
        List<String> targets = p.stakeTargets() == null ? List.of() : p.stakeTargets();
        for (int i = 0; i < targets.size(); i++) {
            try {
                org.openledger.studio.wallet.staking.StakeTargets.parse(targets.get(i));
            } catch (IllegalArgumentException e) {
                throw AttributionException.bad("stake_targets[" + i + "]", e.getMessage());
            }
        }
        if (targets.size() > 16) {
            throw AttributionException.bad("stake_targets", "at most 16 stake targets, got " + targets.size());
        }
        return new Price(wei(p.priceIn(), "price_in"), wei(p.priceOut(), "price_out"), wei(p.platformFee(),
                "platform_fee"), owner(p.owner()), targets);
    }

    private static BigInteger wei(String open, String param) throws AttributionException {
        if (open == null) {
            throw AttributionException.bad(param, param + " is required (OPEN, e.g. \"0.01\")");
        }
        try {
            return priceWei(open, param);
        } catch (IllegalArgumentException e) {
            throw AttributionException.bad(param, e.getMessage());
        }
    }

    /**
     * A price in OPEN (at most 18 decimals, not negative, at most {@link #MAX_PRICE_WEI}) in wei.
     *
     * @throws IllegalArgumentException naming {@code name} and what is wrong
     */
    public static BigInteger priceWei(String open, String name) {
        try {
            BigInteger w = Open.parse(open).wei();
            if (w.compareTo(MAX_PRICE_WEI) > 0) {
                throw new IllegalArgumentException(name + " must be at most 1000000 OPEN, got " + open);
            }
            return w;
        } catch (Open.InvalidAmountException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    private static Address owner(String text) throws AttributionException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Address.parse(text);
        } catch (RuntimeException e) {
            throw AttributionException.bad("owner", "owner must be an account address: " + e.getMessage());
        }
    }

    static Pricing.Price wire(String model, Price p) {
        return new Pricing.Price(model, Open.ofWei(p.inWei()).toOpenString(), Open.ofWei(p.outWei()).toOpenString(),
                Open.ofWei(p.platformWei()).toOpenString(), p.owner() == null ? null : p.owner().toString(),
                p.stakeTargets().isEmpty() ? null : p.stakeTargets());
    }
}
