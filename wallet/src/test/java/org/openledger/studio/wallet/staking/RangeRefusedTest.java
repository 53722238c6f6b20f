package org.openledger.studio.wallet.staking;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The eth_getLogs refusals public RPCs send for a wide block range, which make the reader halve its window. */
class RangeRefusedTest {

    @Test
    void wideRangeRefusalsAreRecognisedAndOtherErrorsAreNot() {
        assertTrue(StakePositions.rangeRefused("query returned more than 10000 results"));
        assertTrue(StakePositions.rangeRefused("block range is too wide"));
        assertTrue(StakePositions.rangeRefused("eth_getLogs is limited to a 10,000 range"));
        assertTrue(StakePositions.rangeRefused("Log response size exceeded. You can make eth_getLogs requests with"
                + " up to a 2K block range"));
        assertTrue(StakePositions.rangeRefused("exceed maximum block range: 50000"));
        assertFalse(StakePositions.rangeRefused("invalid argument 0: hex string without 0x prefix"));
        assertFalse(StakePositions.rangeRefused(null));
    }
}
