package org.openledger.studio.api.chain;

/** Answer of {@code POST /v1/chain/faucet}: what was sent (OPEN and gas-token balances afterwards, in wei). */
public record FaucetResult(String address, long open, String openBalanceWei, String gasBalanceWei) {
}
