package org.openledger.studio.api.rewards;

/**
 * One reward credit the node owes an account: {@code amount_wei} of OPEN (a decimal whole number of wei), why
 * ({@code reason}, e.g. "operator" now, an inference's attribution later), and when it was recorded. As a request
 * ({@code POST /v1/rewards/credits}) only {@code account}, {@code amount_wei} and {@code reason} are read.
 */
public record RewardCredit(Long id, String account, String amountWei, String reason, String createdAt) {

    /** A credit to add. */
    public static RewardCredit of(String account, String amountWei, String reason) {
        return new RewardCredit(null, account, amountWei, reason, null);
    }
}
