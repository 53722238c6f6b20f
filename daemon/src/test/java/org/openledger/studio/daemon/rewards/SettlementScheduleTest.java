package org.openledger.studio.daemon.rewards;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.rewards.CreditRequest;
import org.openledger.studio.api.rewards.RewardCredit;

class SettlementScheduleTest {

    private static final String A = "0x00000000000000000000000000000000000000aa";

    @Test
    void settlesNewCreditsEveryIntervalAndSkipsAnIntervalWithNothingNew(@TempDir Path dir) throws Exception {
        InMemoryChain chain = new InMemoryChain();
        try (RewardLedger ledger = RewardLedger.open(dir, chain, Clock.systemUTC())) {
            ledger.credit(CreditRequest.of(List.of(RewardCredit.of(A, "5", "work"))));
            try (SettlementSchedule s = new SettlementSchedule(ledger, Duration.ofMillis(100))) {
                await(() -> chain.currentEpoch() == 1);
                Thread.sleep(400); // nothing new: no second epoch
                assertEquals(1, chain.currentEpoch());
                ledger.credit(CreditRequest.of(List.of(RewardCredit.of(A, "7", "more"))));
                await(() -> chain.currentEpoch() == 2);
            }
            assertEquals("12", ledger.epochs().data().get(0).cumulative().get(A.toLowerCase()) == null
                    ? ledger.epochs().data().get(0).cumulative().values().iterator().next()
                    : ledger.epochs().data().get(0).cumulative().get(A.toLowerCase()));
        }
        assertThrows(IllegalArgumentException.class, () -> new SettlementSchedule(null, Duration.ZERO));
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(20);
        while (!done.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(until), "not settled in time");
            Thread.sleep(20);
        }
    }
}
