package org.openledger.studio.app.crash;

import java.util.List;
import java.util.Random;

/**
 * The seeded choice of where each kill lands: half the points are named crash points (the process halts at the N-th
 * time it reaches one, inside a critical window), half a SIGKILL after a random delay from the start of the
 * operation. The same seed gives the same points.
 */
final class KillPlan {

    /** A named crash point and how many times it may be reached before the operation ends. */
    record Hook(String name, int maxReach) {
    }

    /** One kill: at a hook's N-th reach, or (hook null) after {@code delayMillis}. */
    record Point(String hook, int reach, long delayMillis) {
        String crashAt() {
            return hook == null ? null : hook + ":" + reach;
        }

        @Override
        public String toString() {
            return hook == null ? "SIGKILL after " + delayMillis + " ms" : "halt at " + hook + " #" + reach;
        }
    }

    private final Random random;
    private final List<Hook> hooks;
    private final long maxDelayMillis;

    KillPlan(long seed, List<Hook> hooks, long maxDelayMillis) {
        this.random = new Random(seed);
        this.hooks = hooks;
        this.maxDelayMillis = maxDelayMillis;
    }

    Point next() {
        if (!hooks.isEmpty() && random.nextBoolean()) {
            Hook h = hooks.get(random.nextInt(hooks.size()));
            return new Point(h.name(), 1 + random.nextInt(h.maxReach()), 0);
        }
        return new Point(null, 0, random.nextLong(maxDelayMillis + 1));
    }

    /** A seeded number for the scenario's own choices (amounts, row texts). */
    Random random() {
        return random;
    }
}
