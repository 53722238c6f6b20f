package org.openledger.studio.daemon.rewards;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the reward ledger every interval ({@code studio daemon --settle-every MINUTES}): each run is an ordinary
 * {@link RewardLedger#settle()}, so the crash rules hold (a recorded epoch is finished, never posted twice); an
 * interval with nothing new to settle is skipped quietly.
 */
public final class SettlementSchedule implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SettlementSchedule.class);

    private final ScheduledExecutorService timer;

    public SettlementSchedule(RewardLedger ledger, Duration every) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the settlement interval must be positive, got " + every);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "settlement");
            t.setDaemon(true);
            return t;
        });
        long ms = every.toMillis();
        timer.scheduleWithFixedDelay(() -> settle(ledger), ms, ms, TimeUnit.MILLISECONDS);
    }

    private static void settle(RewardLedger ledger) {
        try {
            var epoch = ledger.settle();
            log.info("Scheduled settlement: epoch {} posted", epoch.epoch());
        } catch (SettleRefusedException e) {
            if (SettleRefusedException.NOTHING_TO_SETTLE.equals(e.code())) {
                log.debug("Scheduled settlement: nothing new");
            } else {
                log.warn("Scheduled settlement refused: {}", e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("Scheduled settlement failed (the next one tries again): {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
