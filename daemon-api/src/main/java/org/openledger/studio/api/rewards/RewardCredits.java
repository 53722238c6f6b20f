package org.openledger.studio.api.rewards;

import java.util.List;

/** A list of credits, newest first, and their sum in wei ({@code GET} and {@code POST /v1/rewards/credits}). */
public record RewardCredits(String object, List<RewardCredit> data, String totalWei) {

    public static RewardCredits of(List<RewardCredit> data, String totalWei) {
        return new RewardCredits("list", List.copyOf(data), totalWei);
    }
}
