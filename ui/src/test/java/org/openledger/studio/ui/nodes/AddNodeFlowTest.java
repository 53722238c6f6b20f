package org.openledger.studio.ui.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodesApi;
import org.openledger.studio.api.tls.CertificatePin;
import org.openledger.studio.api.tls.NodeTrust;
import org.openledger.studio.store.Database;
import org.openledger.studio.ui.settings.Settings;
import org.openledger.studio.ui.settings.StudioDatabase;
import org.openledger.studio.ui.shell.Notices;
import org.openledger.studio.ui.tasks.NodeErrors;
import org.openledger.studio.ui.tasks.TestTasks;

/** The Add Node flow: http added at once, https pinned after the user accepted the fingerprint, or refused. */
class AddNodeFlowTest {

    private static final CertificatePin PRESENTED = CertificatePin.of("ab".repeat(32));
    private static final CertificatePin OTHER = CertificatePin.of("cd".repeat(32));

    @TempDir
    Path dir;

    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    private final List<String> connections = new ArrayList<>();
    private final List<URI> probed = new ArrayList<>();
    private final TestTasks.Manual worker = new TestTasks.Manual();
    private Database db;

    @AfterEach
    void close() {
        poller.shutdownNow();
        if (db != null) {
            db.close();
        }
    }

    /** The node presents {@link #PRESENTED}; a typed fingerprint is checked as {@link NodeTrust#decide} does. */
    private NodeTrust.Decision probe(URI url, CertificatePin given) throws IOException {
        probed.add(url);
        if (url.getPort() == 9) {
            throw new java.net.ConnectException("Connection refused");
        }
        if (given != null && !given.equals(PRESENTED)) {
            throw new NodeTrust.Refused("presents " + PRESENTED + ", not the fingerprint given (" + given + ")");
        }
        return new NodeTrust.Decision(PRESENTED, true, given != null);
    }

    private NodesViewModel<NodesApi> nodes() {
        db = StudioDatabase.open(dir);
        LocalNode idle = new LocalNode() {
            @Override
            public NodeEndpoint start() {
                throw new IllegalStateException("not started in this test");
            }

            @Override
            public void stop() {
            }
        };
        NodesViewModel.Connector<NodesApi> connector = new NodesViewModel.Connector<>() {
            @Override
            public NodesApi connect(URI url, String token) {
                return connect(url, token, null);
            }

            @Override
            public NodesApi connect(URI url, String token, CertificatePin pin) {
                connections.add(url + " " + pin);
                return () -> {
                    throw NodeErrors.unreachable();
                };
            }
        };
        var tasks = TestTasks.immediate();
        return new NodesViewModel<>(new NodeDirectory(db, Clock.systemUTC()), idle, connector, tasks, tasks,
                poller, new Notices(Runnable::run), Settings.LOCAL_NODE, id -> { });
    }

    private AddNodeFlow flow(NodesViewModel<NodesApi> nodes) {
        return new AddNodeFlow(nodes, TestTasks.manual(worker), this::probe);
    }

    @Test
    void anHttpsNodeIsAddedPinnedOnlyAfterTheUserAcceptsTheFingerprint() {
        NodesViewModel<NodesApi> nodes = nodes();
        AddNodeFlow flow = flow(nodes);
        flow.submit("GPU box", "https://gpu.example:8765", "tok", "");
        assertTrue(flow.busyProperty().get(), "the handshake runs in the background");
        assertEquals(1, worker.pending());
        assertEquals(1, nodes.rows().size(), "nothing added before the certificate is read");

        worker.runAll();
        assertFalse(flow.busyProperty().get());
        assertEquals(PRESENTED, flow.toConfirmProperty().get());
        assertNull(flow.addedProperty().get(), "not added before the user said yes");
        assertEquals(1, nodes.rows().size());

        flow.accept();
        NodeRow row = flow.addedProperty().get();
        assertEquals(PRESENTED, row.entry().tlsPin());
        assertNull(flow.toConfirmProperty().get());
        assertTrue(connections.contains("https://gpu.example:8765 " + PRESENTED), connections.toString());
        // kept with the node: a new studio session pins the same certificate
        NodeEntry kept = new NodeDirectory(db, Clock.systemUTC()).remotes().get(0);
        assertEquals(PRESENTED, kept.tlsPin());
        assertEquals("tok", kept.token());
    }

    @Test
    void aDeclinedFingerprintAddsNothing() {
        NodesViewModel<NodesApi> nodes = nodes();
        AddNodeFlow flow = flow(nodes);
        flow.submit("GPU box", "https://gpu.example:8765", "tok", null);
        worker.runAll();
        flow.decline();
        assertNull(flow.addedProperty().get());
        assertEquals("The certificate was not accepted, so the node was not added", flow.errorProperty().get());
        assertEquals(1, nodes.rows().size());
        assertTrue(new NodeDirectory(db, Clock.systemUTC()).remotes().isEmpty());
    }

    @Test
    void aTypedFingerprintThatMatchesIsPinnedWithoutAskingAndOneThatDiffersIsRefused() {
        NodesViewModel<NodesApi> nodes = nodes();
        AddNodeFlow flow = flow(nodes);
        flow.submit("bad", "https://gpu.example:8765", null, OTHER.fingerprint());
        worker.runAll();
        assertNull(flow.addedProperty().get());
        assertNull(flow.toConfirmProperty().get());
        assertTrue(flow.errorProperty().get().contains("not the fingerprint given (" + OTHER + ")"),
                flow.errorProperty().get());

        // lower case without colons is the same fingerprint
        flow.submit("good", "https://gpu.example:8765", null, "AB".repeat(32).toLowerCase());
        assertNull(flow.errorProperty().get(), "a new try clears the last error");
        worker.runAll();
        assertNull(flow.toConfirmProperty().get(), "a fingerprint given is not asked again");
        assertEquals(PRESENTED, flow.addedProperty().get().entry().tlsPin());
    }

    @Test
    void httpNodesAreAddedAtOnceAndBadInputIsExplainedWithoutTouchingTheNetwork() {
        NodesViewModel<NodesApi> nodes = nodes();
        AddNodeFlow flow = flow(nodes);
        flow.submit("x", "ftp://nowhere", null, null);
        assertTrue(flow.errorProperty().get().contains("not an http"), flow.errorProperty().get());
        flow.submit("x", "https://gpu.example:8765", null, "abc");
        assertTrue(flow.errorProperty().get().contains("64 hex digits"), flow.errorProperty().get());
        flow.submit("x", "http://10.0.0.7:8765", null, PRESENTED.fingerprint());
        assertTrue(flow.errorProperty().get().contains("needs an https:// URL"), flow.errorProperty().get());
        assertEquals(0, worker.pending());
        assertTrue(probed.isEmpty());

        flow.submit("plain", "http://10.0.0.7:8765", "tok", "");
        assertEquals(0, worker.pending(), "no certificate to read for http");
        NodeRow row = flow.addedProperty().get();
        assertNull(row.entry().tlsPin());
        assertSame(row, nodes.rows().get(1));
    }

    @Test
    void aNodeThatDoesNotAnswerTlsIsExplained() {
        NodesViewModel<NodesApi> nodes = nodes();
        AddNodeFlow flow = flow(nodes);
        flow.submit("gone", "https://127.0.0.1:9", null, null);
        worker.runAll();
        assertEquals("Cannot read the TLS certificate of https://127.0.0.1:9: Connection refused",
                flow.errorProperty().get());
        assertFalse(flow.busyProperty().get());
        assertEquals(1, nodes.rows().size());
    }

    @Test
    void aPinIsRefusedForAnHttpUrlByTheDirectoryToo() {
        nodes();
        NodeDirectory d = new NodeDirectory(db, Clock.systemUTC());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> d.add("x", "http://10.0.0.7:8765", null, PRESENTED));
        assertTrue(e.getMessage().contains("needs an https:// URL"), e.getMessage());
    }

}
