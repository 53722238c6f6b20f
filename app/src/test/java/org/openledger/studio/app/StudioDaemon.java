package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.gpu.model.TinyModels;

/**
 * A real {@code studio daemon} as a child JVM on loopback (port 0), as a user would start it: its data folder, ready
 * file and log under the test's folder, named after the node. {@link #close()} stops it (SIGTERM, then SIGKILL after
 * 30 s). A {@link Launch} can start the same node again over the same data folder (a restart).
 */
public final class StudioDaemon implements AutoCloseable {

    /** The bearer token a node gets unless its test gives another. */
    public static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private final Launch launch;
    private final Process process;
    private final String url;
    private final NodeClient client;

    private StudioDaemon(Launch launch, Process process, String url) {
        this.launch = launch;
        this.process = process;
        this.url = url;
        this.client = new NodeClient(NodeClient.defaultHttp(), URI.create(url), launch.token);
    }

    /** A node named {@code node}: data in {@code dir/node}, log {@code dir/node.log}, token in {@code dir/token}. */
    public static Launch in(Path dir) {
        return new Launch(dir, "node");
    }

    /**
     * A node of that name: data in {@code dir/NAME}, log {@code dir/NAME.log}, ready file {@code dir/NAME-ready.json},
     * token {@link #TOKEN} in {@code dir/NAME.token}.
     */
    public static Launch in(Path dir, String name) {
        return new Launch(dir, name);
    }

    /** How to start one node; reusable, so that a test can start it again after stopping or killing it. */
    public static final class Launch {
        private final Path dir;
        private final String name;
        private final List<String> jvm = new ArrayList<>(List.of("-Dstudio.log.level=WARN"));
        private final List<String> args = new ArrayList<>();
        private Path tokenFile;
        private String token;
        private Path data;
        private boolean mustStopOnSigterm;
        private int port;

        private Launch(Path dir, String name) {
            this.dir = dir;
            this.name = name;
            this.tokenFile = dir.resolve(name.equals("node") ? "token" : name + ".token");
            this.token = TOKEN;
        }

        /** Another bearer token (at least 32 characters), written to {@code file} before each start. */
        public Launch token(Path file, String value) {
            this.tokenFile = file;
            this.token = value;
            return this;
        }

        /** A fixed port instead of one the system picks (e.g. a restart on the address a client already knows). */
        public Launch port(int fixed) {
            this.port = fixed;
            return this;
        }

        /** The child JVM's options instead of the default {@code -Dstudio.log.level=WARN}. */
        public Launch jvm(String... options) {
            jvm.clear();
            jvm.addAll(List.of(options));
            return this;
        }

        /** Another data folder than {@code dir/NAME} (e.g. a restart of another node's data under a new name). */
        public Launch data(Path folder) {
            this.data = folder;
            return this;
        }

        /** {@link StudioDaemon#close()} fails the test (after a SIGKILL) when the node does not stop on SIGTERM. */
        public Launch mustStopOnSigterm() {
            this.mustStopOnSigterm = true;
            return this;
        }

        /**
         * Serves a tiny real chat model ({@code --base-model dir/tiny-chat}), written there first (seed 7) unless
         * another node of the test already did.
         */
        public Launch tinyChatModel() throws IOException {
            Path model = dir.resolve("tiny-chat");
            if (!Files.exists(model)) {
                TinyModels.chatModel(model, 7);
            }
            return args("--base-model", model.toString());
        }

        /** More {@code studio daemon} options, e.g. {@code --base-model DIR}. */
        public Launch args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        public Path ready() {
            return dir.resolve(name + "-ready.json");
        }

        public Path log() {
            return dir.resolve(name + ".log");
        }

        public Path data() {
            return data != null ? data : dir.resolve(name);
        }

        private Process spawn() throws IOException {
            Files.deleteIfExists(ready());
            if (!Files.exists(tokenFile) || !Files.readString(tokenFile).strip().equals(token)) {
                Files.writeString(tokenFile, token + "\n");
            }
            List<String> all = new ArrayList<>(List.of("daemon", "--port", Integer.toString(port),
                    "--data-dir", data().toString(), "--token-file", tokenFile.toString(),
                    "--ready-file", ready().toString()));
            all.addAll(args);
            return StudioProcess.builder(dir, jvm, all.toArray(String[]::new)).redirectErrorStream(true)
                    .redirectOutput(log().toFile()).start();
        }

        /** Starts the node and waits up to {@code seconds} for its ready file (its chain may still be starting). */
        public StudioDaemon start(int seconds) throws IOException, InterruptedException {
            Process p = spawn();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!Files.exists(ready()) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!Files.exists(ready())) {
                p.destroyForcibly();
            }
            assertTrue(Files.exists(ready()), readLog());
            return new StudioDaemon(this, p, Wire.mapper().readTree(ready().toFile()).path("url").asText());
        }

        /** Starts the node and waits up to {@code seconds}, all told, until it is up and its devnet (anvil) ready. */
        public StudioDaemon startWithChain(int seconds) throws IOException, InterruptedException {
            Process p = spawn();
            try {
                StudioProcess.awaitNodeAndChain(p, ready(), token, System.nanoTime()
                        + TimeUnit.SECONDS.toNanos(seconds), this::readLog);
            } catch (AssertionError | IOException | InterruptedException e) {
                p.destroyForcibly();
                throw e;
            }
            return new StudioDaemon(this, p, Wire.mapper().readTree(ready().toFile()).path("url").asText());
        }

        private String readLog() {
            try {
                return Files.readString(log());
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    public Process process() {
        return process;
    }

    /** The node's base URL, from its ready file. */
    public String url() {
        return url;
    }

    public Path tokenFile() {
        return launch.tokenFile;
    }

    /** The ready file's JSON (url, node id, ...). */
    public com.fasterxml.jackson.databind.JsonNode readyJson() throws IOException {
        return Wire.mapper().readTree(launch.ready().toFile());
    }

    /** A client of the node with its token. */
    public NodeClient client() {
        return client;
    }

    /** The CLI's options that reach this node: {@code --url URL --token-file FILE}. */
    public List<String> at() {
        return List.of("--url", url, "--token-file", launch.tokenFile.toString());
    }

    /** What the node printed so far. */
    public String log() {
        return launch.readLog();
    }

    /** Polls {@code GET /v1/chain} until the node's chain is no longer starting ({@code seconds} at most). */
    public ChainInfo awaitChain(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ChainInfo info = client.chain();
        while (ChainInfo.STARTING.equals(info.status()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            info = client.chain();
        }
        return info;
    }

    /**
     * SIGTERM, and SIGKILL if it has not stopped after 30 s (which fails the test where the launch said
     * {@link Launch#mustStopOnSigterm()}).
     */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            if (launch.mustStopOnSigterm) {
                throw new AssertionError("the node did not stop on SIGTERM: " + log());
            }
        }
    }
}
