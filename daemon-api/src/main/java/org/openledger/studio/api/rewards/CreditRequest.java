package org.openledger.studio.api.rewards;

import java.util.List;

/**
 * Body of {@code POST /v1/rewards/credits}: either one credit inline ({@code account}, {@code amount_wei},
 * {@code reason}) or several in {@code credits}; all are checked before any is kept.
 */
public record CreditRequest(String account, String amountWei, String reason, List<RewardCredit> credits) {

    public static CreditRequest of(List<RewardCredit> credits) {
        return new CreditRequest(null, null, null, List.copyOf(credits));
    }
}
