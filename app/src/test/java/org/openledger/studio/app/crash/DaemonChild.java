package org.openledger.studio.app.crash;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.Wire;
import org.openledger.studio.app.StudioProcess;

/**
 * One {@code studio daemon} child JVM of the crash harness (started as every daemon test starts one, through
 * {@link StudioProcess#builder}), with its crash plan in {@code -Dstudio.crash.at}. Each start logs to a file of its
 * own, so a kill never mixes two lives of the node in one log.
 */
final class DaemonChild {

    static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private final Process process;
    private final Path log;
    private final NodeClient client;
    private final String url;

    private DaemonChild(Process process, Path log, NodeClient client, String url) {
        this.process = process;
        this.log = log;
        this.client = client;
        this.url = url;
    }

    /**
     * Starts a node on {@code data} and waits for its ready file (and, with {@code awaitChain}, for its chain). A node
     * that halts at its armed crash point before it is ready (work resumed at start can reach the point first) is
     * returned too, with no client: {@link #haltedBeforeReady()} says so, and the caller counts it as a landed point.
     *
     * @param crashAt the crash plan ({@code NAME:N}), or null for none
     */
    static DaemonChild start(Path dir, Path data, String crashAt, List<String> args, boolean awaitChain, int life)
            throws Exception {
        Path token = dir.resolve("token");
        if (!Files.exists(token)) {
            Files.writeString(token, TOKEN + "\n");
        }
        Path ready = dir.resolve("ready.json");
        Files.deleteIfExists(ready);
        List<String> jvm = new ArrayList<>(List.of("-Dstudio.log.level=WARN", "-Xmx1g",
                "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1"));
        if (crashAt != null) {
            jvm.add("-Dstudio.crash.at=" + crashAt);
        }
        List<String> all = new ArrayList<>(List.of("daemon", "--port", "0", "--data-dir", data.toString(),
                "--token-file", token.toString(), "--ready-file", ready.toString()));
        all.addAll(args);
        Path log = dir.resolve("daemon-" + life + ".log");
        Process p = StudioProcess.builder(dir, jvm, all.toArray(String[]::new)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        try {
            NodeClient c;
            if (awaitChain) {
                c = StudioProcess.awaitNodeAndChain(p, ready, TOKEN, deadline, () -> read(log));
            } else {
                while (!Files.exists(ready) && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                if (!Files.exists(ready)) {
                    throw new AssertionError("the node did not start: " + read(log));
                }
                c = null;
            }
            String url = Wire.mapper().readTree(ready.toFile()).path("url").asText();
            if (c == null) {
                c = new NodeClient(NodeClient.defaultHttp(), URI.create(url), TOKEN);
            }
            return new DaemonChild(p, log, c, url);
        } catch (Throwable e) {
            if (crashAt != null && p.waitFor(10, TimeUnit.SECONDS) && read(log).contains("crash point ")) {
                return new DaemonChild(p, log, null, null);
            }
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Whether this node halted at its crash point before it wrote its ready file (it has no client then). */
    boolean haltedBeforeReady() {
        return client == null;
    }

    NodeClient client() {
        return client;
    }

    String url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, as the harness's random kill; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + process.pid() + " survived SIGKILL for 60 s");
        }
    }

    /** Waits for the node to halt itself at its crash point; false when it is still alive after {@code wait}. */
    boolean awaitHalt(Duration wait) throws InterruptedException {
        return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the node stopped at its planned crash point (it says so on its last line). */
    boolean haltedAtCrashPoint() {
        return !process.isAlive() && read(log).contains("crash point ");
    }

    /** SIGTERM and the wait for the orderly stop (SIGKILL after 60 s). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    String log() {
        return read(log);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
