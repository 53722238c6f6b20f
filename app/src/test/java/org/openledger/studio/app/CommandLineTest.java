package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.Wire;

/** The {@code studio} command as a user runs it: real processes, exit codes, one-line errors. */
class CommandLineTest {

    @TempDir
    Path dir;

    @Test
    void helpListsTheCommands() throws Exception {
        StudioProcess.Result r = StudioProcess.run(dir, "--help");
        assertEquals(0, r.code());
        for (String c : List.of("desktop", "daemon", "node", "bench", "attribute", "attribution")) {
            assertTrue(r.out().contains("  " + c + " "), "help should list " + c + ":\n" + r.out());
        }
    }

    @Test
    void daemonRunsHeadlessWithoutLoadingJavaFxAndStopsGracefullyOnSigterm() throws Exception {
        Path classLog = dir.resolve("classes.log");
        try (StudioDaemon daemon = StudioDaemon.in(dir).jvm("-Xlog:class+load=info:file=" + classLog).start(60)) {
            Process p = daemon.process();
            JsonNode j = daemon.readyJson();
            NodeClient client = daemon.client();
            assertEquals(j.path("node_id").asText(), client.node().nodeId());
            assertEquals("ok", client.health().status());
            assertTrue(client.metrics().contains("studio_http_requests_total"));
            assertTrue(j.path("url").asText().startsWith("http://127.0.0.1:"), "binds loopback by default");

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the node stops on SIGTERM");
            String log = daemon.log();
            assertTrue(log.contains("stopped"), log);
            var e = org.junit.jupiter.api.Assertions.assertThrows(NodeClientException.class, client::health);
            assertEquals(NodeClientException.Kind.UNREACHABLE, e.kind());
        }
        List<String> loaded = Files.readAllLines(classLog, StandardCharsets.UTF_8);
        assertTrue(loaded.stream().anyMatch(l -> l.contains("org.openledger.studio.daemon.Node ")),
                "the class log is complete");
        assertFalse(loaded.stream().anyMatch(l -> l.contains(" javafx.") || l.contains(" com.sun.javafx.")),
                "the headless node loaded a JavaFX class");
    }

    @Test
    void aBusyPortIsOneClearLineAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StudioProcess.Result r = StudioProcess.run(dir, "daemon", "--port", Integer.toString(taken.getLocalPort()),
                    "--data-dir", dir.resolve("n").toString());
            assertEquals(1, r.code());
            String last = r.errLines().get(r.errLines().size() - 1);
            assertTrue(last.startsWith("studio daemon: Port " + taken.getLocalPort()), r.err());
            assertTrue(last.contains("already in use"), last);
            assertFalse(r.err().contains("\tat "), "no stack trace for a user error");
        }
    }

    @Test
    void refusesANonLoopbackAddressWithoutATokenFile() throws Exception {
        StudioProcess.Result r = StudioProcess.run(dir, "daemon", "--host", "0.0.0.0", "--port", "0",
                "--data-dir", dir.resolve("n").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("Refusing to listen on 0.0.0.0 without --token-file"), r.err());
    }

    @Test
    void badTokenFilesAreRefusedWithTheReason() throws Exception {
        StudioProcess.Result missing = StudioProcess.run(dir, "daemon", "--port", "0", "--data-dir",
                dir.resolve("n").toString(), "--token-file", dir.resolve("nope").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        Path shortToken = Files.writeString(dir.resolve("short"), "abc");
        StudioProcess.Result tooShort = StudioProcess.run(dir, "daemon", "--port", "0", "--data-dir",
                dir.resolve("n").toString(), "--token-file", shortToken.toString());
        assertEquals(1, tooShort.code());
        assertTrue(tooShort.err().contains("too short"), tooShort.err());
    }

    @Test
    void modelOptionsThatCannotWorkAreOneClearLine() throws Exception {
        StudioProcess.Result both = StudioProcess.run(dir, "daemon", "--port", "0", "--data-dir",
                dir.resolve("n").toString(), "--no-model", "--base-model", dir.toString());
        assertEquals(1, both.code());
        assertTrue(both.err().contains("--no-model and --base-model contradict each other"), both.err());
        StudioProcess.Result noCorpus = StudioProcess.run(dir, "model", "pretrain", "--corpus",
                dir.resolve("missing").toString(), "--out", dir.resolve("m").toString());
        assertEquals(1, noCorpus.code());
        assertTrue(noCorpus.err().contains(dir.resolve("missing") + " is not a folder"), noCorpus.err());
        StudioProcess.Result heads = StudioProcess.run(dir, "model", "pretrain", "--corpus", dir.toString(),
                "--out", dir.resolve("m").toString(), "--hidden", "100", "--heads", "3");
        assertEquals(1, heads.code());
        assertTrue(heads.err().contains("hidden size 100 must split into 3 heads"), heads.err());
    }

    @Test
    void modelCorpusWritesTheGeneratedCorpusTheBundledModelIsTrainedOn() throws Exception {
        StudioProcess.Result r = StudioProcess.run(dir, "model", "corpus", "--out", dir.resolve("c").toString(),
                "--documents", "30", "--seed", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("corpus: 30 documents"), r.out());
        try (var files = Files.walk(dir.resolve("c"))) {
            assertEquals(30, files.filter(f -> f.toString().endsWith(".txt")).count());
        }
        assertEquals(new org.openledger.studio.finetune.stories.StoryWriter(1).document() + "\n",
                Files.readString(dir.resolve("c/000/000000.txt")));
        StudioProcess.Result none = StudioProcess.run(dir, "model", "corpus", "--out", dir.resolve("d").toString(),
                "--documents", "0");
        assertEquals(1, none.code());
        assertEquals(1, none.errLines().size(), none.err());
        assertTrue(none.err().contains("at least one document"), none.err());
    }

    @Test
    void anUnwritableDataFolderIsOneClearLine() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        StudioProcess.Result r = StudioProcess.run(dir, "daemon", "--port", "0", "--data-dir",
                file.resolve("data").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("studio daemon: The folder " + file.resolve("data")), r.err());
    }

    @Test
    void anUnreachableNodeIsOneClearLine() throws Exception {
        StudioProcess.Result r = StudioProcess.run(dir, "node", "--url", "http://127.0.0.1:9");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("studio node: Cannot reach the node at http://127.0.0.1:9"), r.err());
        StudioProcess.Result bad = StudioProcess.run(dir, "node", "--url", "not a url");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("is not an http:// or https:// URL"), bad.err());
    }

    @Test
    void closingTheWindowEndsTheStudioAndItsNode() throws Exception {
        Path home = dir.resolve("home");
        Path figures = dir.resolve("startup.json");
        Process p = StudioProcess.builder(dir, List.of("-Dglass.platform=Monocle", "-Dmonocle.platform=Headless",
                                "-Dprism.order=sw", "-Dtestfx.headless=true"),
                        "desktop", "--home", home.toString(), "--measure-startup", figures.toString(),
                        "--idle-seconds", "6")
                .redirectErrorStream(true).redirectOutput(dir.resolve("desktop.log").toFile()).start();
        p.getOutputStream().close();
        // the startup probe closes the window after the idle time; the process must then end by itself
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), Files.readString(dir.resolve("desktop.log")));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("desktop.log")));
        JsonNode j = Wire.mapper().readTree(figures.toFile());
        assertTrue(j.path("first_frame_after_jvm_start_ms").asLong() > 0, j.toString());
        assertTrue(j.path("heap_used_after_gc_bytes").asLong() > 0, j.toString());
        JsonNode ready = Wire.mapper().readTree(home.resolve("data/node/run/embedded.ready.json").toFile());
        long nodePid = ready.path("pid").asLong();
        assertTrue(nodePid > 0);
        assertFalse(ProcessHandle.of(nodePid).map(ProcessHandle::isAlive).orElse(false),
                "the local node must not outlive the studio");
        assertTrue(Files.readString(home.resolve("config/settings.json")).contains("\"window\""),
                "the window's bounds were saved on close");
    }

    @Test
    void unknownOptionsAreUsageErrors() throws Exception {
        StudioProcess.Result r = StudioProcess.run(dir, "daemon", "--frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option: '--frobnicate'"), r.err());
    }
}
