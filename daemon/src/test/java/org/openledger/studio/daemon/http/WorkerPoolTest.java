package org.openledger.studio.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The HTTP workers grow only when all are busy, queue beyond their limit, and run everything they took. */
class WorkerPoolTest {

    @Test
    void oneAfterAnotherNeedsOneWorkerAndBusyWorkersGrowThePoolUpToItsLimit() throws Exception {
        WorkerPool pool = new WorkerPool(4, 30, r -> {
            Thread t = new Thread(r, "worker-pool-test");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < 50; i++) {
                CountDownLatch done = new CountDownLatch(1);
                pool.execute(done::countDown);
                assertTrue(done.await(5, TimeUnit.SECONDS));
                Thread.sleep(2); // the worker goes back to waiting
            }
            assertEquals(1, pool.getPoolSize(), "exchanges one after another share one worker");

            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 10; i++) {
                pool.execute(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ran.incrementAndGet();
                });
            }
            assertEquals(4, pool.getPoolSize(), "busy workers grow the pool, up to its limit");
            assertEquals(6, pool.getQueue().size(), "beyond it, exchanges wait");
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ran.get() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(10, ran.get(), "every queued exchange ran");
        } finally {
            pool.shutdownNow();
        }
    }
}
