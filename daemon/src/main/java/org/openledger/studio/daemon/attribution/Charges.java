package org.openledger.studio.daemon.attribution;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.Pricing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node charges: the prices (per model, set through {@code /v1/pricing} and kept in {@code attribution.db},
 * else the node's default), each served inference's charge by {@link Fees} with the stakes behind the model, and the
 * credits of charged inferences for the reward ledger.
 */
final class Charges {

    private static final Logger log = LoggerFactory.getLogger(Charges.class);

    /** Checks that a model a price is set for is served here. */
    @FunctionalInterface
    interface ModelCheck {
        void check(String model) throws AttributionException;
    }

    private final AttributionStore store;
    private final Fees fees;
    private final Fees.Price defaultPrice;
    private final ModelCheck models;
    private volatile Attributions.StakeSource stakes = Attributions.StakeSource.NONE;

    /** @param fees null: this node attributes answers but does not charge */
    Charges(AttributionStore store, Fees fees, Fees.Price defaultPrice, ModelCheck models) {
        this.store = store;
        this.fees = fees;
        this.defaultPrice = defaultPrice;
        this.models = models;
    }

    void stakesFrom(Attributions.StakeSource source) {
        this.stakes = source;
    }

    /** A served inference's record with its charge (unchanged when this node does not charge). */
    AttributionRecord charged(AttributionRecord r, int tokensIn, int tokensOut) {
        if (fees == null) {
            return r;
        }
        try {
            Fees.Price p = priceOf(r.model());
            Map<String, BigInteger> behind = Map.of();
            if (!p.stakeTargets().isEmpty()) {
                try {
                    behind = stakes.stakes(p.stakeTargets());
                } catch (RuntimeException e) {
                    log.warn("stakes behind {} cannot be read: {}", p.stakeTargets(), e.getMessage());
                }
            }
            return r.withCharge(fees.charge(r, p, tokensIn, tokensOut, behind));
        } catch (RuntimeException e) {
            log.warn("the inference of {} cannot be charged", r.id(), e);
            return r;
        }
    }

    /** The price of {@code model}: set for it, else the default set through the API, else the node's default. */
    Fees.Price priceOf(String model) {
        var stored = store.prices();
        Pricing.Price p = stored.get(model != null ? model : "");
        if (p == null) {
            p = stored.get("");
        }
        if (p != null) {
            try {
                return Fees.price(p);
            } catch (AttributionException e) {
                log.warn("a stored price of {} cannot be read: {}", model, e.getMessage());
            }
        }
        return defaultPrice;
    }

    /** The model's price as the wire shows it, or null when this node does not charge. */
    Pricing.Price price(String model) {
        return fees == null ? null : Fees.wire(model, priceOf(model));
    }

    Pricing pricing() throws AttributionException {
        if (fees == null) {
            throw AttributionException.unknown("model", "This node does not charge for inferences");
        }
        List<Pricing.Price> prices = new ArrayList<>();
        store.prices().forEach((model, p) -> {
            if (!model.isEmpty()) {
                prices.add(p);
            }
        });
        Fees.Split sp = fees.split();
        return new Pricing("pricing", Fees.wire(null, priceOf(null)), prices, new Pricing.Split(sp.owner(),
                sp.stakers(), sp.contributors()));
    }

    Pricing setPrice(Pricing.Price p) throws AttributionException {
        if (p == null) {
            throw AttributionException.bad("price_in", "Give a price: {\"model\", \"price_in\", \"price_out\","
                    + " \"platform_fee\", \"owner\", \"stake_targets\"}");
        }
        if (fees == null) {
            throw AttributionException.unknown("model", "This node does not charge for inferences");
        }
        Fees.Price checked = Fees.price(p);
        String model = p.model() == null ? "" : p.model();
        if (!model.isEmpty()) {
            models.check(model);
        }
        store.putPrice(model, Fees.wire(model.isEmpty() ? null : model, checked));
        return pricing();
    }

    List<Attributions.Credit> creditsSince(long afterId) {
        return store.creditsSince(afterId, 10_000).stream().map(c -> new Attributions.Credit(c.id(), c.recordId(),
                c.account(), c.role(), c.amountWei(), c.datanetId())).toList();
    }
}
