package org.openledger.studio.daemon.inference;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openledger.studio.gpu.generate.FinishReason;
import org.openledger.studio.gpu.generate.TokenEvent;

/** A stream whose client goes away cancels its work at once, so its rows stop taking batch slots. */
class TokenPipeTest {

    @Test
    void aSinkThatFailsInterruptsTheWork() throws Exception {
        ExecutorService streams = Executors.newCachedThreadPool();
        try {
            CountDownLatch interrupted = new CountDownLatch(1);
            TokenPipe<String> pipe = TokenPipe.start(streams, listener -> {
                listener.onEvent(new TokenEvent(0, null, "a", null));
                try {
                    Thread.sleep(60_000); // InferenceService waits on its rows' futures like this
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
                return "never";
            });
            assertThrows(IOException.class, () -> pipe.drain(e -> {
                throw new IOException("Broken pipe");
            }));
            assertTrue(interrupted.await(2, TimeUnit.SECONDS), "the work went on after its client went away");
        } finally {
            streams.shutdownNow();
        }
    }

    @Test
    void aFinishedStreamIsReturned() throws Exception {
        ExecutorService streams = Executors.newCachedThreadPool();
        try {
            TokenPipe<String> pipe = TokenPipe.start(streams, listener -> {
                listener.onEvent(new TokenEvent(0, null, "a", FinishReason.STOP));
                return "done";
            });
            StringBuilder got = new StringBuilder();
            assertTrue(pipe.drain(e -> got.append(e.textDelta())).equals("done"));
            assertTrue(got.toString().equals("a"));
        } finally {
            streams.shutdownNow();
        }
    }
}
