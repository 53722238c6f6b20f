package org.openledger.studio.ui.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeInfo;
import org.openledger.studio.api.NodesApi;
import org.openledger.studio.store.Database;
import org.openledger.studio.ui.settings.Settings;
import org.openledger.studio.ui.settings.StudioDatabase;
import org.openledger.studio.ui.shell.Notices;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.ui.tasks.NodeErrors;
import org.openledger.studio.ui.tasks.TestTasks;

class NodesViewModelTest {

    private static final URI LOCAL = URI.create("http://127.0.0.1:41001");

    @TempDir
    Path dir;

    /** What the node at each address answers: its info, or the failure its client reports. */
    private final Map<URI, Object> answers = new HashMap<>();
    private final List<String> activeChanges = new ArrayList<>();
    private final Notices notices = new Notices(Runnable::run);
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    private Database db;
    private LocalNode localNode = localAt(LOCAL);

    @AfterEach
    void close() {
        poller.shutdownNow();
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theLocalNodeStartsAndIsCheckedAndShown() {
        answers.put(LOCAL, info("0.1.0"));
        NodesViewModel<FakeNode> vm = model(TestTasks.immediate(), Settings.LOCAL_NODE);
        NodeRow local = vm.localRow();
        assertEquals(ConnectionState.STARTING, local.state());
        assertTrue(vm.activeClient().isEmpty(), "no client while the local node has no address");

        vm.startLocalNode();
        assertEquals(ConnectionState.CONNECTED, local.state());
        assertTrue(local.detailProperty().get().matches("v0\\.1\\.0 · \\d+ ms"), local.detailProperty().get());
        assertEquals("node-0.1.0", local.infoProperty().get().nodeId());
        assertEquals(LOCAL, vm.activeClient().orElseThrow().url);
        assertEquals("tok", vm.activeClient().orElseThrow().token);
    }

    @Test
    void aLocalNodeThatCannotStartIsFailedWithItsReasonAndANotice() {
        localNode = new LocalNode() {
            @Override
            public NodeEndpoint start() {
                throw new IllegalStateException("port 41001 is taken");
            }

            @Override
            public void stop() {
            }
        };
        NodesViewModel<FakeNode> vm = model(TestTasks.immediate(), Settings.LOCAL_NODE);
        vm.startLocalNode();
        assertEquals(ConnectionState.FAILED, vm.localRow().state());
        assertEquals("port 41001 is taken", vm.localRow().detailProperty().get());
        assertEquals(List.of(new Notices.Notice(Notices.Level.ERROR, "The local node could not start: port 41001 is"
                + " taken You can still add and use a remote node in Nodes.")), notices.items());
    }

    @Test
    void aRemoteNodeThatRefusesTheTokenIsShownAsUnauthorizedWithTheNodesWords() {
        URI remote = URI.create("https://gpu.example:8765");
        answers.put(remote, NodeErrors.unauthorized());
        NodesViewModel<FakeNode> vm = model(TestTasks.immediate(), Settings.LOCAL_NODE);
        NodeRow row = vm.addRemote("H100 box", remote.toString(), "wrong");
        assertEquals(ConnectionState.UNAUTHORIZED, row.state());
        assertEquals("The node at http://127.0.0.1:9 refused the token: invalid token", row.detailProperty().get());
        assertEquals(null, row.infoProperty().get());
        assertEquals(2, vm.rows().size());
    }

    @Test
    void unreachableAndOtherFailuresAreToldApart() {
        URI down = URI.create("http://10.0.0.7:8765");
        URI broken = URI.create("http://10.0.0.8:8765");
        answers.put(down, NodeErrors.unreachable());
        answers.put(broken, NodeErrors.http(500, null, "internal error"));
        NodesViewModel<FakeNode> vm = model(TestTasks.immediate(), Settings.LOCAL_NODE);
        assertEquals(ConnectionState.UNREACHABLE, vm.addRemote("down", down.toString(), null).state());
        NodeRow b = vm.addRemote("broken", broken.toString(), null);
        assertEquals(ConnectionState.FAILED, b.state());
        assertEquals("The node at http://127.0.0.1:9 answered 500: internal error", b.detailProperty().get());
    }

    @Test
    void aBadAddressIsRefusedBeforeAnythingIsAdded() {
        NodesViewModel<FakeNode> vm = model(TestTasks.immediate(), Settings.LOCAL_NODE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vm.addRemote("x", "ftp://nowhere", null));
        assertTrue(e.getMessage().contains("ftp://nowhere"), e.getMessage());
        assertEquals(1, vm.rows().size());
    }

    @Test
    void makingARemoteActiveAndRemovingItHandsBackToTheLocalNode() {
        URI remote = URI.create("https://gpu.example:8765");
        answers.put(remote, info("0.2.0"));
        NodesViewModel<FakeNode> vm = model(TestTasks.immediate(), Settings.LOCAL_NODE);
        NodeRow row = vm.addRemote("H100 box", remote.toString(), "t");
        vm.makeActive(row);
        assertSame(row, vm.activeProperty().get());
        assertTrue(row.activeProperty().get());
        assertFalse(vm.localRow().activeProperty().get());
        assertEquals(remote, vm.activeClient().orElseThrow().url);

        vm.remove(row);
        assertSame(vm.localRow(), vm.activeProperty().get());
        assertEquals(List.of(row.id(), Settings.LOCAL_NODE), activeChanges);
        assertThrows(IllegalArgumentException.class, () -> vm.remove(vm.localRow()));
    }

    @Test
    void theActiveNodeKeptInSettingsIsActiveAgainAfterARestart() {
        URI remote = URI.create("https://gpu.example:8765");
        answers.put(remote, info("0.2.0"));
        String id = model(TestTasks.immediate(), Settings.LOCAL_NODE).addRemote("box", remote.toString(), null).id();
        NodesViewModel<FakeNode> again = model(TestTasks.immediate(), id);
        assertEquals(id, again.activeProperty().get().id());
        assertEquals(ConnectionState.CONNECTED, again.activeProperty().get().state(), "checked at once");
    }

    @Test
    void anAnswerForAnAddressTheRowNoLongerHasIsDropped() {
        answers.put(LOCAL, NodeErrors.unreachable());
        TestTasks.Manual worker = new TestTasks.Manual();
        BackgroundTasks tasks = TestTasks.manual(worker);
        NodesViewModel<FakeNode> vm = model(tasks, Settings.LOCAL_NODE);
        NodeRow local = vm.localRow();
        local.entryProperty().set(new NodeEntry(Settings.LOCAL_NODE, "This computer", LOCAL, "tok", true));
        vm.check(local); // the old local node is asked...
        URI restarted = URI.create("http://127.0.0.1:41002");
        answers.put(restarted, info("0.1.0"));
        localNode = localAt(restarted);
        local.entryProperty().set(new NodeEntry(Settings.LOCAL_NODE, "This computer", restarted, "tok", true));
        vm.check(local); // ...and the restarted one, which answers first
        worker.runNewest();
        assertEquals(ConnectionState.CONNECTED, local.state());
        worker.runAll();
        assertEquals(ConnectionState.CONNECTED, local.state(), "the old address's failure does not overwrite it");
    }

    private NodesViewModel<FakeNode> model(BackgroundTasks tasks, String activeId) {
        if (db == null) {
            db = StudioDatabase.open(dir);
        }
        LocalNode current = new LocalNode() {
            @Override
            public NodeEndpoint start() throws Exception {
                return localNode.start();
            }

            @Override
            public void stop() {
            }
        };
        return new NodesViewModel<>(new NodeDirectory(db, Clock.systemUTC()), current,
                (url, token) -> new FakeNode(url, token), tasks, tasks, poller, notices, activeId, activeChanges::add);
    }

    private LocalNode localAt(URI url) {
        return new LocalNode() {
            @Override
            public NodeEndpoint start() {
                return new NodeEndpoint(url, "tok");
            }

            @Override
            public void stop() {
            }
        };
    }

    private static NodeInfo info(String version) {
        return new NodeInfo("node-" + version, "test", version, "1", "2026-12-03T10:00:00Z", 5,
                new NodeInfo.HostInfo("Linux", "amd64", "17", 2, 1L << 30, 4L << 30), "/data", List.of(), List.of());
    }

    /** The client of one node: answers what the test put in for its address. */
    private final class FakeNode implements NodesApi {
        final URI url;
        final String token;

        FakeNode(URI url, String token) {
            this.url = url;
            this.token = token;
        }

        @Override
        public NodeInfo node() {
            Object a = answers.get(url);
            if (a instanceof RuntimeException e) {
                throw e;
            }
            if (a == null) {
                throw NodeErrors.unreachable();
            }
            return (NodeInfo) a;
        }
    }
}
