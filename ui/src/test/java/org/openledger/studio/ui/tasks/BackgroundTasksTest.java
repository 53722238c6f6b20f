package org.openledger.studio.ui.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.NodeClientException;

class BackgroundTasksTest {

    private final TestTasks.Manual worker = new TestTasks.Manual();
    private final BackgroundTasks tasks = TestTasks.manual(worker);
    private final List<String> heard = new ArrayList<>();

    @Test
    void aTaskIsListedUntilItSucceedsThenFinallyRuns() {
        BackgroundTask<Integer> t = tasks.create("Counting", p -> {
            p.update(1, 4);
            p.message("one of four");
            return 4;
        }).onSuccess(n -> heard.add("ok " + n)).onError(e -> heard.add("error")).andFinally(() -> heard.add("finally"))
                .start();
        assertEquals(List.of(t), tasks.running());
        assertTrue(t.isRunning());
        worker.runAll();
        assertEquals(List.of("ok 4", "finally"), heard);
        assertTrue(tasks.running().isEmpty());
        assertFalse(t.isRunning());
        assertEquals("Counting", t.getTitle());
    }

    @Test
    void progressAndMessageReachTheUiWhileTheWorkRuns() {
        List<Double> seen = new ArrayList<>();
        BackgroundTask<?> t = tasks.<Void>create("Steps", p -> {
            p.update(1, 4);
            p.message("first");
            return null;
        }).start();
        t.progressProperty().addListener((o, a, b) -> seen.add(b.doubleValue()));
        t.messageProperty().addListener((o, a, b) -> heard.add(b));
        worker.runAll();
        assertEquals(List.of(0.25), seen);
        assertEquals(List.of("first"), heard);
    }

    @Test
    void aNodeFailureGoesToItsTypedHandlerAndNothingElse() {
        tasks.create("Asking", p -> {
            throw NodeErrors.http(409, null, "nothing to settle");
        }).onError(IllegalStateException.class, e -> heard.add("state"))
                .onError(NodeClientException.class, e -> heard.add("node " + e.status() + " " + e.error().error().message()))
                .onError(e -> heard.add("any")).andFinally(() -> heard.add("finally")).start();
        worker.runAll();
        assertEquals(List.of("node 409 nothing to settle", "finally"), heard);
    }

    @Test
    void anUntypedFailureGoesToTheGeneralHandler() {
        tasks.create("Reading", p -> {
            throw new java.io.IOException("disk gone");
        }).onError(NodeClientException.class, e -> heard.add("node")).onError(e -> heard.add("any " + e.getMessage()))
                .start();
        worker.runAll();
        assertEquals(List.of("any disk gone"), heard);
    }

    @Test
    void aCancelledTaskEndsAtOnceAndItsLateOutcomeIsDropped() {
        AtomicBoolean sawCancel = new AtomicBoolean();
        BackgroundTask<String> t = tasks.create("Long", p -> {
            sawCancel.set(p.isCancelled());
            return "late";
        }).onSuccess(heard::add).andFinally(() -> heard.add("finally")).start();
        t.cancel();
        assertFalse(t.isRunning());
        assertTrue(t.isCancelled());
        assertTrue(tasks.running().isEmpty());
        assertEquals(List.of("finally"), heard);
        worker.runAll();
        assertEquals(List.of("finally"), heard, "nothing of the cancelled task's work is delivered");
        assertFalse(sawCancel.get(), "work cancelled before it began does not run at all");
    }

    @Test
    void workThatIsRunningSeesTheCancel() {
        List<Boolean> flags = new ArrayList<>();
        BackgroundTask<?>[] self = new BackgroundTask<?>[1];
        self[0] = tasks.create("Loop", p -> {
            flags.add(p.isCancelled());
            self[0].cancel(); // the user presses Cancel while the work runs
            flags.add(p.isCancelled());
            Thread.interrupted();
            return null;
        }).onSuccess(v -> heard.add("success")).start();
        worker.runAll();
        assertEquals(List.of(false, true), flags);
        assertTrue(heard.isEmpty(), "a cancelled task reports no success");
    }

    @Test
    void aClosedExecutorStartsNothingAndLeavesNothingListed() {
        BackgroundTasks closed = new BackgroundTasks(r -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }, Runnable::run);
        BackgroundTask<?> t = closed.create("Too late", p -> 1).andFinally(() -> heard.add("finally")).start();
        assertFalse(t.isRunning());
        assertTrue(closed.running().isEmpty());
        assertEquals(List.of("finally"), heard);
    }
}
