package org.openledger.studio.api.chain;

/** Body of {@code POST /v1/chain/faucet}: the address to fund; {@code open} whole OPEN (default 1000, at most 10000). */
public record FaucetRequest(String address, Long open) {
}
