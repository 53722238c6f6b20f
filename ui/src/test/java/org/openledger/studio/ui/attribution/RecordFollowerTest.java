package org.openledger.studio.ui.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.ui.tasks.NodeErrors;
import org.openledger.studio.ui.tasks.TestTasks;

/**
 * The poll behind a pending attribution record: asks again while the node says {@code pending}, stops at done or
 * failed, when stopped, or when it has waited too long. The pause between reads is zero here (the studio's is
 * {@link RecordFollower#EVERY}), so no test waits.
 */
class RecordFollowerTest {

    private static final Duration LONG = Duration.ofMinutes(3);

    private final TestTasks.Manual worker = new TestTasks.Manual();
    private final BackgroundTasks tasks = TestTasks.manual(worker);

    @Test
    void asksAgainWhilePendingAndEndsWithTheFinishedRecord() {
        AttributionRecord done = AttributionViewModelTest.record("attr-1", "done");
        Answers node = new Answers(pending(), pending(), done);
        RecordFollower f = RecordFollower.follow(tasks, node, Duration.ZERO, LONG);
        assertTrue(f.isRunning());
        assertNull(f.recordProperty().get());
        worker.runAll();
        assertEquals(3, node.asked.get(), "two pending answers, then the done one");
        assertSame(done, f.recordProperty().get());
        assertNull(f.errorProperty().get());
        assertFalse(f.isRunning());
    }

    @Test
    void aFailedRecordEndsThePollToo() {
        AttributionRecord failed = AttributionViewModelTest.record("attr-1", "failed");
        Answers node = new Answers(pending(), failed);
        RecordFollower f = RecordFollower.follow(tasks, node, Duration.ZERO, LONG);
        worker.runAll();
        assertSame(failed, f.recordProperty().get());
        assertEquals(2, node.asked.get());
    }

    @Test
    void stoppedWhilePollingItAsksNoMoreAndSetsNothing() {
        AtomicReference<RecordFollower> follower = new AtomicReference<>();
        Answers node = new Answers(pending(), pending(), pending(), AttributionViewModelTest.record("attr-1", "done"));
        node.onAsk = n -> {
            if (n == 2) {
                follower.get().stop(); // the view closes while the node still computes
            }
        };
        follower.set(RecordFollower.follow(tasks, node, Duration.ZERO, LONG));
        worker.runAll();
        assertEquals(2, node.asked.get(), "the poll ends at the first pending answer after stop");
        assertNull(follower.get().recordProperty().get());
        assertNull(follower.get().errorProperty().get());
        assertFalse(follower.get().isRunning());
    }

    @Test
    void stoppedBeforeItRunsItNeverAsks() {
        Answers node = new Answers(AttributionViewModelTest.record("attr-1", "done"));
        RecordFollower f = RecordFollower.follow(tasks, node, Duration.ZERO, LONG);
        f.stop();
        worker.runAll();
        assertEquals(0, node.asked.get());
        assertNull(f.recordProperty().get());
    }

    @Test
    void aRecordPendingTooLongIsGivenUpWithAReason() {
        Answers node = new Answers(pending(), pending());
        // a deadline already past: the first pending answer is one too many
        RecordFollower f = RecordFollower.follow(tasks, node, Duration.ZERO, Duration.ofNanos(-1));
        worker.runAll();
        assertEquals(1, node.asked.get());
        assertNull(f.recordProperty().get());
        assertEquals("the node has been attributing this answer for over 0 minutes", f.errorProperty().get());
    }

    @Test
    void aReadTheNodeFailsIsTheFollowersError() {
        Supplier<AttributionRecord> node = () -> {
            throw NodeErrors.http(404, null, "no attribution record 'attr-9'");
        };
        RecordFollower f = RecordFollower.follow(tasks, node, Duration.ZERO, LONG);
        worker.runAll();
        assertEquals("The node at http://127.0.0.1:9 answered 404: no attribution record 'attr-9'",
                f.errorProperty().get());
        assertNull(f.recordProperty().get());
    }

    @Test
    void theStudioPollsEveryThreeTenthsOfASecondForUpToThreeMinutes() {
        assertEquals(Duration.ofMillis(300), RecordFollower.EVERY);
        assertEquals(Duration.ofMinutes(3), RecordFollower.GIVE_UP);
    }

    private static AttributionRecord pending() {
        return AttributionViewModelTest.record("attr-1", "pending");
    }

    /** The node's answers to one record's reads, in turn. */
    private static final class Answers implements Supplier<AttributionRecord> {
        final Deque<AttributionRecord> answers;
        final AtomicInteger asked = new AtomicInteger();
        java.util.function.IntConsumer onAsk = n -> {
        };

        Answers(AttributionRecord... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public AttributionRecord get() {
            onAsk.accept(asked.incrementAndGet());
            return answers.poll();
        }
    }
}
