package org.openledger.studio.app.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.api.Wire;

/**
 * A real node for the load to hit: {@code studio daemon} in a child JVM on loopback, any free port, serving the
 * bundled model from a fresh data folder, as the studio's embedded node starts (decision 7). It runs without the
 * devnet (the load does not touch the chain), so no anvil competes for the cores.
 */
final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final URI url;
    private final String token;
    private final Path log;

    private NodeProcess(Process process, URI url, String token, Path log) {
        this.process = process;
        this.url = url;
        this.token = token;
        this.log = log;
    }

    /** Starts the node and returns once it listens. @param heap the node JVM's -Xmx, e.g. "768m" */
    static NodeProcess start(Path dir, String heap) throws IOException, InterruptedException {
        return start(dir, heap, List.of());
    }

    /** As {@link #start(Path, String)}, with more {@code studio daemon} options (e.g. the model, tier bounds). */
    static NodeProcess start(Path dir, String heap, List<String> daemonOptions) throws IOException,
            InterruptedException {
        Path data = dir.resolve("node");
        Files.createDirectories(data);
        String token = org.openledger.studio.app.cli.DaemonCommand.newToken();
        Path tokenFile = dir.resolve("token");
        org.openledger.studio.store.Folders.writeAtomically(tokenFile, token.getBytes(StandardCharsets.UTF_8), true);
        Path ready = dir.resolve("ready.json");
        Path log = dir.resolve("node.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap));
        for (String p : List.of("ai.djl.offline", "ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.openledger.studio.app.Launcher", "daemon",
                "--host", "127.0.0.1", "--port", "0", "--data-dir", data.toString(), "--token-file",
                tokenFile.toString(), "--ready-file", ready.toString(), "--exit-with-stdin"));
        cmd.addAll(daemonOptions);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("OPENLEDGER_CHAIN_TOOLS");
        pb.environment().put("OPENLEDGER_STUDIO_HOME", dir.resolve("home").toString());
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(ready)) {
            if (!p.isAlive()) {
                throw new IOException("the node exited with " + p.exitValue() + " while starting; see " + log);
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("the node did not listen within 3 minutes; see " + log);
            }
            Thread.sleep(100);
        }
        JsonNode j = Wire.mapper().readTree(ready.toFile());
        return new NodeProcess(p, URI.create(j.path("url").asText()), token, log);
    }

    URI url() {
        return url;
    }

    String token() {
        return token;
    }

    long pid() {
        return process.pid();
    }

    /** The node's data folder (its adapters are under {@code adapters/} unless told otherwise). */
    Path data() {
        return log.getParent().resolve("node");
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Closes the node's standard input (it shuts down as the embedded node does), forcibly after 30 s. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
