package org.openledger.studio.app.crash;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Lands one kill point on a node while an operation runs against it, and the checks every kill is followed by. */
final class Kills {

    private Kills() {
    }

    /**
     * Waits for the node to halt at the point's crash point, or kills it after the point's delay; an operation that
     * ends first (the kill came too late) is counted as missed and the node is killed anyway. Returns once the node
     * is gone and the operation has ended.
     */
    static void land(DaemonChild node, KillPlan.Point p, Future<?> operation, Duration maxWait, CrashTable.Row row)
            throws Exception {
        long deadline = System.nanoTime() + maxWait.toNanos();
        if (p.hook() != null) {
            while (node.alive() && !operation.isDone() && System.nanoTime() < deadline) {
                node.awaitHalt(Duration.ofMillis(20));
            }
            if (operation.isDone()) {
                // a halted node fails the operation at once; its exit may be reaped a moment later
                node.awaitHalt(Duration.ofSeconds(10));
            }
            if (!node.alive()) {
                if (node.haltedAtCrashPoint()) {
                    row.halted++;
                } else {
                    row.check(false, p + ": the node died on its own: " + tail(node.log()));
                }
            } else {
                row.missed++;
                failedWhileAlive(operation, p, row);
                node.kill();
            }
        } else {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(p.delayMillis());
            while (!operation.isDone() && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            if (operation.isDone()) {
                row.missed++;
                failedWhileAlive(operation, p, row);
            } else {
                row.killed++;
            }
            node.kill();
        }
        try {
            operation.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException expected) {
            // the node went away under it
        } catch (TimeoutException e) {
            operation.cancel(true);
            row.check(false, p + ": the operation hung after the node died");
        }
    }

    /**
     * For a node that halted at its crash point while it started (work it resumed reached the point before its ready
     * file): counts the landed point and checks the files, as after any kill. Returns whether it did.
     */
    static boolean haltedAtStart(DaemonChild node, KillPlan.Point p, Path dir, CrashTable.Row row) throws Exception {
        if (!node.haltedBeforeReady()) {
            return false;
        }
        row.halted++;
        checkFiles(dir, row, p);
        return true;
    }

    private static void failedWhileAlive(Future<?> operation, KillPlan.Point p, CrashTable.Row row)
            throws InterruptedException {
        try {
            operation.get();
        } catch (ExecutionException e) {
            row.check(false, p + ": the operation failed while the node was up: " + e.getCause());
        }
    }

    /** Every SQLite file under {@code dir} passes {@code PRAGMA integrity_check}. */
    static void checkFiles(Path dir, CrashTable.Row row, KillPlan.Point after) throws Exception {
        var damaged = SqliteFiles.damaged(dir);
        row.check(damaged.isEmpty(), (after == null ? "at the end" : "after " + after) + ": " + damaged);
    }

    static String tail(String log) {
        return log.length() <= 2000 ? log : log.substring(log.length() - 2000);
    }
}
