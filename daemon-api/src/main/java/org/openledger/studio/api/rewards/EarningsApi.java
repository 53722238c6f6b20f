package org.openledger.studio.api.rewards;

import org.openledger.studio.api.attribution.AttributionRecords;

/** What the Earnings tab asks a node: an account's credits and epochs, and the records the credits came from. */
public interface EarningsApi extends RewardsApi, AttributionRecords {
}
