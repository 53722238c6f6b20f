package org.openledger.studio.ui.tasks;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/** Background tasks for view-model tests: no FX toolkit, everything on the test's thread. */
public final class TestTasks {

    private TestTasks() {
    }

    /** Work and its outcome run at once, inside {@code start()}. */
    public static BackgroundTasks immediate() {
        return new BackgroundTasks(Runnable::run, Runnable::run);
    }

    /** Work waits until the test runs it ({@link Manual#runAll()}); outcomes then come at once. */
    public static BackgroundTasks manual(Manual worker) {
        return new BackgroundTasks(worker, Runnable::run);
    }

    /** An executor that keeps what it is given until the test runs it. */
    public static final class Manual implements Executor {
        private final Deque<Runnable> queue = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            queue.add(r);
        }

        public int pending() {
            return queue.size();
        }

        /** Runs the work queued last (one that overtakes the others). */
        public void runNewest() {
            queue.pollLast().run();
        }

        /** Runs what is queued, and what that queues, until nothing is left. */
        public void runAll() {
            for (Runnable r; (r = queue.poll()) != null; ) {
                r.run();
            }
        }
    }
}
