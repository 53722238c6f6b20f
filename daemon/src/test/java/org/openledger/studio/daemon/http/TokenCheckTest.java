package org.openledger.studio.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenCheckTest {

    private static final String TOKEN = "token-check-test-0123456789abcdef";

    @Test
    void onlyTheExactTokenIsAccepted() {
        TokenCheck check = new TokenCheck(TOKEN);
        assertTrue(check.accepts("Bearer " + TOKEN));
        assertTrue(check.accepts("bearer " + TOKEN + "  "), "scheme case and trailing space do not matter");
        for (String wrong : new String[] {null, "", "Bearer", "Bearer ", TOKEN, "Basic " + TOKEN,
                "Bearer " + TOKEN.substring(0, TOKEN.length() - 1), "Bearer " + TOKEN + "0",
                "Bearer " + TOKEN.toUpperCase(), "Bearer " + TOKEN.substring(1)}) {
            assertFalse(check.accepts(wrong), String.valueOf(wrong));
        }
    }

    @Test
    void theRateKeyNamesTheTokenWithoutHoldingIt() {
        TokenCheck check = new TokenCheck(TOKEN);
        String key = check.keyOf("Bearer " + TOKEN);
        assertFalse(key.contains(TOKEN));
        assertEquals(key, check.keyOf("Bearer " + TOKEN));
        assertNotEquals(key, new TokenCheck(TOKEN + "x").keyOf("Bearer " + TOKEN + "x"));
        assertNull(check.keyOf("Bearer nope"));
    }
}
