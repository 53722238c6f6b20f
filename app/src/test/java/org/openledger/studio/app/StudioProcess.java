package org.openledger.studio.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code studio ...} as a real child JVM, as a user's shell would, with this test's class path. */
public final class StudioProcess {

    private StudioProcess() {
    }

    /** The finished process: exit code and what it printed. */
    public record Result(int code, String out, String err) {
        /** Standard error without the JVM's own warnings. */
        public List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    public static ProcessBuilder builder(Path workDir, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Launcher.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(workDir.toFile());
    }

    /**
     * Waits until a started {@code studio daemon} has written its ready file and its local chain is no longer
     * starting; a client of that node. Fails with {@code log} when the node or its chain did not come up in time.
     */
    public static org.openledger.studio.api.NodeClient awaitNodeAndChain(Process daemon, Path ready, String token,
                                                                          long deadlineNanos,
                                                                          java.util.function.Supplier<String> log)
            throws IOException, InterruptedException {
        while (!Files.exists(ready) && daemon.isAlive() && System.nanoTime() < deadlineNanos) {
            Thread.sleep(20);
        }
        if (!Files.exists(ready)) {
            throw new AssertionError("the node did not start: " + log.get());
        }
        String url = org.openledger.studio.api.Wire.mapper().readTree(ready.toFile()).path("url").asText();
        var node = new org.openledger.studio.api.NodeClient(org.openledger.studio.api.NodeClient.defaultHttp(),
                java.net.URI.create(url), token);
        var chain = node.chain();
        while (org.openledger.studio.api.chain.ChainInfo.STARTING.equals(chain.status())
                && System.nanoTime() < deadlineNanos) {
            Thread.sleep(100);
            chain = node.chain();
        }
        if (!org.openledger.studio.api.chain.ChainInfo.READY.equals(chain.status())) {
            throw new AssertionError("the node's chain is " + chain.status() + ": " + chain.error());
        }
        return node;
    }

    /** {@code studio datanet VERB --home workDir/home ARGS...}, the home in the test's folder. */
    public static Result datanet(Path workDir, String verb, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("datanet", verb, "--home", workDir.resolve("home").toString()));
        all.addAll(List.of(args));
        return run(workDir, all.toArray(String[]::new));
    }

    public static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        Process p = builder(workDir, List.of("-Dstudio.log.level=WARN"), args)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("studio " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
