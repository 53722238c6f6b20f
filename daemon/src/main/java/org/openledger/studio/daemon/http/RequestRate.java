package org.openledger.studio.daemon.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client key (the caller's token, hashed): {@code burst} requests at once, then
 * {@code perSecond}. Lock-free per key is not needed at these rates; each bucket is its own monitor.
 */
final class RequestRate {

    private final double perNano;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond 0 for no limit */
    RequestRate(double perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
    }

    boolean limited() {
        return perNano > 0;
    }

    /**
     * Takes one request from {@code key}'s bucket at {@code nowNanos}.
     *
     * @return 0 when the request may go on, else how many nanoseconds until the bucket holds one again
     */
    long take(String key, long nowNanos) {
        if (!limited()) {
            return 0;
        }
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowNanos));
        synchronized (b) {
            b.level = Math.min(burst, b.level + (nowNanos - b.at) * perNano);
            b.at = nowNanos;
            if (b.level >= 1) {
                b.level -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - b.level) / perNano);
        }
    }

    private static final class Bucket {
        double level;
        long at;

        Bucket(double level, long at) {
            this.level = level;
            this.at = at;
        }
    }
}
