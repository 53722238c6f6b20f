package org.openledger.studio.app.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What one scenario did: kill points run, where they landed, invariants checked, what broke. */
final class CrashTable {

    static final class Row {
        final String scenario;
        int points;
        int halted;
        int killed;
        int missed;
        int restarts;
        int checks;
        final List<String> violations = new ArrayList<>();
        long startedNanos = System.nanoTime();
        long seconds;

        Row(String scenario) {
            this.scenario = scenario;
        }

        /** Checks {@code ok}, counting it; a failure is kept with what was going on. */
        void check(boolean ok, String what) {
            checks++;
            if (!ok) {
                violations.add(what);
            }
        }

        void done() {
            seconds = (System.nanoTime() - startedNanos) / 1_000_000_000L;
        }
    }

    private static final List<Row> ROWS = new ArrayList<>();

    static synchronized Row row(String scenario) {
        Row r = new Row(scenario);
        ROWS.add(r);
        return r;
    }

    static synchronized String render(long seed) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Crash consistency, seed %d%n", seed));
        sb.append("| scenario | kill points | halted at a crash point | SIGKILL after a delay | finished before the kill"
                + " | restarts | invariant checks | violations | seconds |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : ROWS) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %d |%n", r.scenario,
                    r.points, r.halted, r.killed, r.missed, r.restarts, r.checks, r.violations.size(), r.seconds));
        }
        for (Row r : ROWS) {
            for (String v : r.violations) {
                sb.append("- ").append(r.scenario).append(": ").append(v).append('\n');
            }
        }
        return sb.toString();
    }

    static synchronized void write(Path file, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, render(seed));
    }
}
