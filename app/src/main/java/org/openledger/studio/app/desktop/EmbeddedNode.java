package org.openledger.studio.app.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.Wire;
import org.openledger.studio.app.cli.DaemonCommand;
import org.openledger.studio.store.Folders;
import org.openledger.studio.ui.nodes.LocalNode;
import org.openledger.studio.ui.nodes.NodeEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node on this computer, run as a child process ({@code studio daemon}) on 127.0.0.1, a free port and a fresh
 * token each run. A separate process keeps native ML crashes and memory of the node away from the window, and is
 * exactly what a remote node runs: one code path. The child exits when its standard input closes, so it never
 * outlives the studio, even after a crash.
 */
public final class EmbeddedNode implements LocalNode {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedNode.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final Path logFile;
    private final OkHttpClient http;
    private final List<String> jvmOptions;
    private Process process;

    public EmbeddedNode(Path dataDir, Path logFile, OkHttpClient http, List<String> jvmOptions) {
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.http = http;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public synchronized NodeEndpoint start() throws Exception {
        Folders.ensureWritable(dataDir);
        Folders.ensureWritable(logFile.getParent());
        Path run = Folders.ensureWritable(dataDir.resolve("run"));
        Path tokenFile = run.resolve("embedded.token");
        Path readyFile = run.resolve("embedded.ready.json");
        Files.deleteIfExists(readyFile);
        String token = DaemonCommand.newToken();
        Folders.writeAtomically(tokenFile, token.getBytes(StandardCharsets.UTF_8), true);

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.openledger.studio.app.Launcher");
        cmd.addAll(List.of("daemon", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString(),
                "--token-file", tokenFile.toString(), "--ready-file", readyFile.toString(), "--name", "This computer",
                "--exit-with-stdin"));
        long before = logLength();
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        process = pb.start();
        log.info("Started the local node, pid {}; its log is {}", process.pid(), logFile);

        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(readyFile)) {
            if (!process.isAlive()) {
                throw new IOException(failureFromLog(before, process.exitValue()));
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IOException("the local node did not start within " + START_TIMEOUT.toSeconds()
                        + " s; see " + logFile);
            }
            Thread.sleep(25);
        }
        JsonNode ready = Wire.mapper().readTree(Files.readAllBytes(readyFile));
        URI url = URI.create(ready.path("url").asText());
        NodeClient client = new NodeClient(http, url, token);
        try {
            client.node();
        } catch (NodeClientException e) {
            stop();
            throw new IOException("the local node started but does not answer: " + e.getMessage(), e);
        }
        return new NodeEndpoint(url, token);
    }

    /** The process id of the node, or -1 when it is not running. */
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    @Override
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close(); // the node's --exit-with-stdin shuts it down gracefully
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private long logLength() {
        File f = logFile.toFile();
        return f.exists() ? f.length() : 0;
    }

    /** The node prints one line, "studio daemon: why", when it cannot start: that is the message to show. */
    private String failureFromLog(long from, int exitCode) {
        try {
            byte[] all = Files.readAllBytes(logFile);
            String text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    StandardCharsets.UTF_8);
            String reason = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("studio daemon: ")) {
                    reason = line.substring("studio daemon: ".length()).strip();
                }
            }
            if (reason != null) {
                return reason;
            }
        } catch (IOException e) {
            log.debug("cannot read {}: {}", logFile, e.getMessage());
        }
        return "the local node exited with code " + exitCode + "; see " + logFile;
    }
}
