package org.openledger.studio.wallet.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NetworkTest {

    @Test
    void presetsCarryTheirChainIds() {
        assertEquals(31337, Network.devnet("http://127.0.0.1:8545").chainId());
        assertEquals(161201, Network.openLedgerTestnet("https://rpc.example").chainId());
        assertEquals(1612, Network.openLedgerMainnet("https://rpc.example").chainId());
        assertTrue(Network.devnet(null).isDevnet());
        assertFalse(Network.openLedgerTestnet(null).isDevnet());
        assertTrue(Network.openLedgerMainnet(null).isMainnet());
    }

    @Test
    void badNetworksAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Network("x", 0, null));
        assertThrows(IllegalArgumentException.class, () -> new Network(" ", 5, null));
        assertThrows(IllegalArgumentException.class, () -> new Network("x", 5, "ws://node:8546"));
        assertThrows(IllegalArgumentException.class, () -> new Network("x", 5, "node:8545"));
    }
}
