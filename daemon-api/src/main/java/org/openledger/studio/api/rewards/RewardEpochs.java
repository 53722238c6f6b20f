package org.openledger.studio.api.rewards;

import java.util.List;

/** {@code GET /v1/rewards/epochs}: every epoch the node recorded, newest first. */
public record RewardEpochs(String object, List<RewardEpoch> data) {

    public static RewardEpochs of(List<RewardEpoch> data) {
        return new RewardEpochs("list", List.copyOf(data));
    }
}
