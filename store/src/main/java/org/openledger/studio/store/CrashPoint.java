package org.openledger.studio.store;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named places inside the windows where a crash would hurt most (between two renames, after a journal write and
 * before the send it guards), where the crash harness can stop the process on purpose. With the system property
 * {@code studio.crash.at=NAME:N[,NAME:N...]} the process halts at the N-th time it reaches {@code NAME}: no shutdown
 * hook, no finally block, no flush runs, which is what SIGKILL does to a JVM. Without the property (always, outside
 * the harness) {@link #reach} is one read of a final field.
 */
public final class CrashPoint {

    /** The exit status of a JVM killed by SIGKILL (128 + 9), so a halted node looks like a killed one. */
    public static final int KILLED = 137;

    private static final Map<String, Integer> PLAN = parse(System.getProperty("studio.crash.at"));
    private static final Map<String, AtomicInteger> SEEN = new HashMap<>();

    private CrashPoint() {
    }

    /** Halts the process here when the plan says this is the reach to die at. */
    public static void reach(String name) {
        if (PLAN.isEmpty()) {
            return;
        }
        Integer at = PLAN.get(name);
        if (at == null) {
            return;
        }
        int n;
        synchronized (SEEN) {
            n = SEEN.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        }
        if (n == at) {
            // one line for the harness to tell a planned halt from a random kill; nothing else is flushed
            System.err.println("crash point " + name + " #" + n + ": halting");
            System.err.flush();
            Runtime.getRuntime().halt(KILLED);
        }
    }

    static Map<String, Integer> parse(String spec) {
        Map<String, Integer> out = new HashMap<>();
        if (spec == null || spec.isBlank()) {
            return Map.of();
        }
        for (String part : spec.split(",")) {
            String p = part.strip();
            int colon = p.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("studio.crash.at: '" + p + "' is not NAME:N");
            }
            int n = Integer.parseInt(p.substring(colon + 1).strip());
            if (n < 1) {
                throw new IllegalArgumentException("studio.crash.at: N must be at least 1 in '" + p + "'");
            }
            out.put(p.substring(0, colon).strip(), n);
        }
        return Map.copyOf(out);
    }
}
