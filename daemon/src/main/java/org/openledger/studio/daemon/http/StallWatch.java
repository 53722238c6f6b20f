package org.openledger.studio.daemon.http;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off peers that stall. The JDK server reads and writes its sockets on the worker thread through blocking
 * {@link java.nio.channels.SocketChannel}s, which are interruptible: interrupting a worker blocked on one closes the
 * connection and frees the worker. This class interrupts a worker whose watched read or write is past its deadline,
 * and never one that has ended its watch (begin/end and the interrupt are under the watch's lock).
 */
final class StallWatch implements AutoCloseable {

    /** One watched wait of the current thread. */
    static final class Watch {
        private final Thread thread = Thread.currentThread();
        private final long deadline;
        private boolean ended;
        private boolean fired;

        private Watch(long deadline) {
            this.deadline = deadline;
        }
    }

    private final Set<Watch> active = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    StallWatch() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "node-http-stall-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Watches the current thread until {@link #end}; {@code deadline} is a {@link System#nanoTime()} value. */
    Watch begin(long deadline) {
        Watch w = new Watch(deadline);
        active.add(w);
        return w;
    }

    /**
     * Ends a watch; afterwards the thread is never interrupted for it.
     *
     * @return whether it fired (its interrupt is cleared here: the connection it was meant for is closed)
     */
    boolean end(Watch w) {
        synchronized (w) {
            w.ended = true;
            active.remove(w);
            if (w.fired) {
                Thread.interrupted();
            }
            return w.fired;
        }
    }

    private void check() {
        long now = System.nanoTime();
        for (Watch w : active) {
            if (now - w.deadline < 0) {
                continue;
            }
            synchronized (w) {
                if (!w.ended && !w.fired) {
                    w.fired = true;
                    active.remove(w);
                    w.thread.interrupt();
                }
            }
        }
    }

    /** A request body whose every read must end within {@code stall}, and all of it by {@link #finishWithin}. */
    InputStream reading(InputStream in, Duration stall) {
        return new In(in, stall.toNanos());
    }

    /** An answer whose every write and flush must end within {@code stall}. */
    OutputStream writing(OutputStream out, Duration stall) {
        return new Out(out, stall.toNanos());
    }

    /** Runs one blocking call on a socket stream under a deadline; failures become {@link ClientGoneException}. */
    private interface SocketCall<T> {
        T call() throws IOException;
    }

    private <T> T watched(long deadline, String what, SocketCall<T> call) throws IOException {
        Watch w = begin(deadline);
        try {
            T result = call.call();
            end(w); // data that came just as the deadline passed is kept
            return result;
        } catch (IOException e) {
            boolean fired = end(w);
            if (!fired && MalformedBodyException.isFraming(e)) {
                throw new MalformedBodyException("The request body's chunked framing is broken: " + e.getMessage(), e);
            }
            throw new ClientGoneException(fired ? "the client " + what + " nothing in time" : "the client went away: "
                    + e.getMessage(), e);
        }
    }

    final class In extends FilterInputStream {
        private final long stall;
        private long finishBy = Long.MAX_VALUE;
        private boolean bounded;

        private In(InputStream in, long stall) {
            super(in);
            this.stall = stall;
        }

        /** Bounds the time the rest of the body may take (a JSON body trickled byte by byte). */
        void finishWithin(Duration d) {
            finishBy = System.nanoTime() + d.toNanos();
            bounded = true;
        }

        private long deadline() {
            long next = System.nanoTime() + stall;
            return bounded && finishBy - next < 0 ? finishBy : next;
        }

        @Override
        public int read() throws IOException {
            return watched(deadline(), "sent", super::read);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return watched(deadline(), "sent", () -> super.read(b, off, len));
        }

        @Override
        public long skip(long n) throws IOException {
            return watched(deadline(), "sent", () -> super.skip(n));
        }
    }

    private final class Out extends FilterOutputStream {
        private final long stall;

        private Out(OutputStream out, long stall) {
            super(out);
            this.stall = stall;
        }

        @Override
        public void write(int b) throws IOException {
            watched(System.nanoTime() + stall, "read", () -> {
                out.write(b);
                return null;
            });
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            watched(System.nanoTime() + stall, "read", () -> {
                out.write(b, off, len);
                return null;
            });
        }

        @Override
        public void flush() throws IOException {
            watched(System.nanoTime() + stall, "read", () -> {
                out.flush();
                return null;
            });
        }

        @Override
        public void close() throws IOException {
            watched(System.nanoTime() + stall, "read", () -> {
                out.close();
                return null;
            });
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
