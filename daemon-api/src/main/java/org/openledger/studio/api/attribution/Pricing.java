package org.openledger.studio.api.attribution;

import java.util.List;

/**
 * {@code GET /v1/pricing}: what this node charges per inference, in OPEN (decimal text, up to 18 decimals) per
 * 1,000 input and output tokens plus a platform fee per inference, the default and per model; and how the fee after
 * the platform's part is split (owner β, stakers γ, contributors δ; they sum to 1). {@code POST /v1/pricing} sets a
 * {@link Price} (with {@code model} null: the default).
 */
public record Pricing(String object, Price defaults, List<Price> models, Split split) {

    /**
     * A price; {@code owner} is the account credited the model owner's part (null: none known);
     * {@code stake_targets} are the StakingVault targets whose stakers share the stakers' part, pro rata of their
     * active stake ({@code model:ID}, {@code datanet:ID}; none: the part goes to the owner).
     */
    public record Price(String model, String priceIn, String priceOut, String platformFee, String owner,
                        List<String> stakeTargets) {

        public Price(String model, String priceIn, String priceOut, String platformFee, String owner) {
            this(model, priceIn, priceOut, platformFee, owner, null);
        }
    }

    public record Split(double owner, double stakers, double contributors) {
    }
}
