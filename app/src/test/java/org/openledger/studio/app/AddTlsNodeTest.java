package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.tls.CertificatePin;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.store.Folders;
import org.openledger.studio.ui.nodes.ConnectionState;
import org.openledger.studio.ui.nodes.LocalNode;
import org.openledger.studio.ui.nodes.NodeEndpoint;
import org.openledger.studio.ui.nodes.NodeRow;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The studio adds a real {@code studio daemon --tls} (a child JVM, self-signed certificate): Add Node shows the
 * certificate's fingerprint, the user accepts it, the node is connected over TLS pinned to it; after the node's
 * certificate is replaced the studio refuses it, naming both fingerprints.
 */
class AddTlsNodeTest {

    private static final String TOKEN = "add-tls-node-test-token-0123456789";

    @TempDir
    Path dir;

    private final FxRobot robot = new FxRobot();
    private Stage stage;
    private Process daemon;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() throws Exception {
        if (stage != null) {
            FxToolkit.setupFixture(stage::close);
        }
        stopDaemon();
        // studio.db keeps a remote node's token by design (an owner-only file); it is removed here so that the
        // suite-wide secret scan of target/ reports leaks, not the one place the studio is meant to keep it
        Folders.deleteTree(dir.resolve("home"));
    }

    private void stopDaemon() throws InterruptedException {
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
            daemon = null;
        }
    }

    /** Starts {@code studio daemon --tls} and returns its ready file (url, tls_sha256). */
    private JsonNode startDaemon(String port) throws Exception {
        Path ready = dir.resolve("ready.json");
        Files.deleteIfExists(ready);
        Path log = dir.resolve("daemon-" + System.nanoTime() + ".log");
        daemon = StudioProcess.builder(dir, List.of("-Dstudio.log.level=WARN", "-Xmx512m"), "daemon", "--tls",
                        "--no-model", "--port", port, "--data-dir", dir.resolve("node").toString(),
                        "--token-file", dir.resolve("token").toString(), "--ready-file", ready.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.exists(ready) && daemon.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(ready), "the node did not start: " + Files.readString(log));
        return Wire.mapper().readTree(ready.toFile());
    }

    @Test
    void addsAnHttpsNodePinnedToTheCertificateTheUserAcceptedAndRefusesAReplacedOne() throws Exception {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        JsonNode first = startDaemon("0");
        URI url = URI.create(first.path("url").asText());
        assertEquals("https", url.getScheme());
        CertificatePin presented = CertificatePin.of(first.path("tls_sha256").asText());

        LocalNode none = new LocalNode() {
            @Override
            public NodeEndpoint start() {
                throw new IllegalStateException("this test runs no local node");
            }

            @Override
            public void stop() {
            }
        };
        AtomicReference<Desktop> d = new AtomicReference<>();
        FxToolkit.setupFixture(() -> {
            stage = new Stage();
            d.set(Desktop.open(stage, AppDirs.under(dir.resolve("home")), (dirs, http) -> none));
        });
        Desktop desktop = d.get();
        robot.clickOn("#nav-nodes");
        robot.clickOn("#nodes-add");
        robot.clickOn("#add-node-name").write("TLS box");
        robot.clickOn("#add-node-url").write(url.toString());
        robot.clickOn("#add-node-token").write(TOKEN);
        robot.clickOn("#add-node-confirm");

        // the fingerprint the node printed is what the studio shows, before anything is added
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> robot.lookup("#add-node-tls-fingerprint").tryQuery().isPresent());
        assertEquals(presented.fingerprint(),
                robot.lookup("#add-node-tls-fingerprint").queryAs(Label.class).getText());
        assertEquals(1, desktop.nodes().rows().size());
        robot.clickOn("#add-node-trust");
        WaitForAsyncUtils.waitForFxEvents();

        NodeRow row = desktop.nodes().rows().stream().filter(r -> !r.entry().local()).findFirst().orElseThrow();
        assertEquals(presented, row.entry().tlsPin());
        // the row's state and detail are set one after the other on the FX thread
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> row.state() == ConnectionState.CONNECTED
                && String.valueOf(row.detailProperty().get()).startsWith("v"));
        assertEquals("TLS box", row.entry().name());

        // the operator (or someone in between) now serves another certificate on the same address
        stopDaemon();
        Folders.deleteTree(dir.resolve("node").resolve("tls"));
        JsonNode second = startDaemon(Integer.toString(url.getPort()));
        CertificatePin replaced = CertificatePin.of(second.path("tls_sha256").asText());
        assertTrue(!replaced.equals(presented));
        FxToolkit.setupFixture(() -> desktop.nodes().check(row));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> row.state() == ConnectionState.UNREACHABLE
                && row.detailProperty().get().contains("Refusing"));
        String why = row.detailProperty().get();
        assertTrue(why.contains("the node presented the TLS certificate " + replaced + ", not the pinned "
                + presented), why);
        assertNull(row.infoProperty().get());
    }
}
