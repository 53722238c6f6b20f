package org.openledger.studio.api.rewards;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarningsTest {

    private static final String A = "0x00000000000000000000000000000000000000aa";

    @Test
    void perEpochIsTheGrowthOfTheCumulativeAmountAndUnsettledIsTheRest() {
        RewardCredits credits = RewardCredits.of(List.of(
                new RewardCredit(1L, A, "5", "attribution attr-0a (contributor)", null),
                new RewardCredit(2L, A, "7", "attribution attr-0b (owner)", null),
                new RewardCredit(3L, A, "3", "operator credit", null),
                new RewardCredit(4L, A, "10", "attribution attr-0a (contributor, datanet 7)", null)), "25");
        List<RewardEpoch> epochs = List.of(
                new RewardEpoch(1, "0x", RewardEpoch.POSTED, "12", "0", Map.of(A.toUpperCase().replace("0X", "0x"),
                        "12"), null, 1L, null, null, null),
                new RewardEpoch(2, "0x", RewardEpoch.POSTED, "15", "0", Map.of(A, "15"), null, 2L, null, null, null),
                new RewardEpoch(3, "0x", RewardEpoch.FAILED, "25", "0", Map.of(A, "25"), null, null, null, null,
                        "boom"));
        Earnings e = Earnings.of(A, credits, epochs);
        assertEquals("25", e.totalWei());
        assertEquals("15", e.settledWei());
        assertEquals("10", e.unsettledWei());
        assertEquals(List.of(new Earnings.EpochEarning(1, "12", "12"), new Earnings.EpochEarning(2, "3", "15")),
                e.epochs());
        assertEquals(Map.of("contributor", "15", "owner", "7", "operator credit", "3"), e.byRole());
        assertEquals(Map.of("attr-0a", "15", "attr-0b", "7"), e.byRecord());
        assertEquals(Map.of("7", "10"), e.byDatanet());
    }
}
