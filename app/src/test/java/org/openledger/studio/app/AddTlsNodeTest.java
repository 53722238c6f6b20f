package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.tls.CertificatePin;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.store.Folders;
import org.openledger.studio.ui.nodes.ConnectionState;
import org.openledger.studio.ui.nodes.LocalNode;
import org.openledger.studio.ui.nodes.NodeEndpoint;
import org.openledger.studio.ui.nodes.NodeRow;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The studio adds a real {@code studio daemon --tls} (a child JVM, self-signed certificate): Add Node shows the
 * certificate's fingerprint, the user accepts it, the node is connected over TLS pinned to it; after the node's
 * certificate is replaced the studio refuses it, naming both fingerprints.
 */
class AddTlsNodeTest extends StudioViewTest {

    private StudioDaemon daemon;

    @AfterEach
    void stop() throws Exception {
        window.close();
        if (daemon != null) {
            daemon.close();
        }
        // studio.db keeps a remote node's token by design (an owner-only file); it is removed here so that the
        // suite-wide secret scan of target/ reports leaks, not the one place the studio is meant to keep it
        Folders.deleteTree(dir.resolve("home"));
    }

    private StudioDaemon startTls(int port) throws Exception {
        return StudioDaemon.in(dir).jvm("-Dstudio.log.level=WARN", "-Xmx512m").port(port)
                .args("--tls", "--no-model").start(180);
    }

    @Test
    void addsAnHttpsNodePinnedToTheCertificateTheUserAcceptedAndRefusesAReplacedOne() throws Exception {
        daemon = startTls(0);
        URI url = URI.create(daemon.url());
        assertEquals("https", url.getScheme());
        CertificatePin presented = CertificatePin.of(daemon.readyJson().path("tls_sha256").asText());

        LocalNode none = new LocalNode() {
            @Override
            public NodeEndpoint start() {
                throw new IllegalStateException("this test runs no local node");
            }

            @Override
            public void stop() {
            }
        };
        Desktop desktop = window.launch(AppDirs.under(dir.resolve("home")), (dirs, http) -> none, s -> { });
        robot.clickOn("#nav-nodes");
        robot.clickOn("#nodes-add");
        robot.clickOn("#add-node-name").write("TLS box");
        robot.clickOn("#add-node-url").write(url.toString());
        robot.clickOn("#add-node-token").write(StudioDaemon.TOKEN);
        robot.clickOn("#add-node-confirm");

        // the fingerprint the node printed is what the studio shows, before anything is added
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> robot.lookup("#add-node-tls-fingerprint").tryQuery().isPresent());
        assertEquals(presented.fingerprint(),
                robot.lookup("#add-node-tls-fingerprint").queryAs(Label.class).getText());
        assertEquals(1, desktop.nodes().rows().size());
        // the question is a window of its own, which headless Monocle may not yet count as on screen for a robot
        // click: the button is pressed on the FX thread once its window is showing (the same ActionEvent a click gives)
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#add-node-trust").tryQuery()
                .map(b -> b.isVisible() && b.getScene() != null && b.getScene().getWindow().isShowing())
                .orElse(false));
        Button trust = robot.lookup("#add-node-trust").queryButton();
        FxToolkit.setupFixture(trust::fire);
        WaitForAsyncUtils.waitForFxEvents();

        NodeRow row = desktop.nodes().rows().stream().filter(r -> !r.entry().local()).findFirst().orElseThrow();
        assertEquals(presented, row.entry().tlsPin());
        // the row's state and detail are set one after the other on the FX thread
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> row.state() == ConnectionState.CONNECTED
                && String.valueOf(row.detailProperty().get()).startsWith("v"));
        assertEquals("TLS box", row.entry().name());

        // the operator (or someone in between) now serves another certificate on the same address
        daemon.close();
        Folders.deleteTree(dir.resolve("node").resolve("tls"));
        daemon = startTls(url.getPort());
        CertificatePin replaced = CertificatePin.of(daemon.readyJson().path("tls_sha256").asText());
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
