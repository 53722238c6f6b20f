package org.openledger.studio.daemon.http;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's HTTP workers, made as needed: a new thread only when every worker is busy, up to {@code max}; beyond
 * that exchanges wait in the queue; idle workers end after the keep-alive. A plain {@link ThreadPoolExecutor} with
 * core = max = 256 makes a new thread for every exchange until it holds 256, busy or not, so any steady load left
 * the node with 256 threads (seen by {@code studio bench load}). The queue refuses a task while the pool may still
 * grow and no worker is free, which makes the executor add one (the way Tomcat's task queue works).
 */
final class WorkerPool extends ThreadPoolExecutor {

    private final AtomicInteger submitted = new AtomicInteger();

    private static final class Queue extends LinkedBlockingQueue<Runnable> {
        private transient WorkerPool pool;

        @Override
        public boolean offer(Runnable task) {
            WorkerPool p = pool;
            if (p != null && p.submitted.get() > p.getPoolSize() && p.getPoolSize() < p.getMaximumPoolSize()) {
                return false;
            }
            return super.offer(task);
        }

        /** Queues whatever the pool could not start at once (it reached its size meanwhile). */
        boolean force(Runnable task) {
            return super.offer(task);
        }
    }

    WorkerPool(int max, long keepAliveSeconds, ThreadFactory threads) {
        super(0, max, keepAliveSeconds, TimeUnit.SECONDS, new Queue(), threads);
        ((Queue) getQueue()).pool = this;
    }

    @Override
    public void execute(Runnable task) {
        submitted.incrementAndGet();
        try {
            super.execute(task);
        } catch (RejectedExecutionException e) {
            if (isShutdown() || !((Queue) getQueue()).force(task)) {
                submitted.decrementAndGet();
                throw e;
            }
        }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        submitted.decrementAndGet();
    }
}
