package org.openledger.studio.ui.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.adapters.AdapterDeleted;
import org.openledger.studio.api.adapters.AdapterInfo;
import org.openledger.studio.api.adapters.AdapterList;
import org.openledger.studio.api.adapters.AdapterRegistration;
import org.openledger.studio.api.adapters.AdaptersApi;
import org.openledger.studio.api.adapters.ServingLoad;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.ui.tasks.NodeErrors;
import org.openledger.studio.ui.tasks.TestTasks;

class NodeAdaptersViewModelTest {

    private final NodeRow gpu = row("gpu", "http://10.0.0.5:8765");
    private final NodeRow cpu = row("cpu", "http://10.0.0.6:8765");
    private final NodeRow starting = row("local", null);
    private final Map<NodeRow, FakeNode> nodes = new HashMap<>();
    private final ManualTicker ticker = new ManualTicker();
    private long now = 1_000_000_000L;

    NodeAdaptersViewModelTest() {
        nodes.put(gpu, new FakeNode());
        nodes.put(cpu, new FakeNode());
    }

    private NodeAdaptersViewModel model(BackgroundTasks tasks) {
        return new NodeAdaptersViewModel(r -> Optional.ofNullable(r.entry().url() == null ? null : nodes.get(r)),
                tasks, tasks, ticker, () -> now);
    }

    @Test
    void showsTheNodesAdaptersTiersHitSharesQueueAndTokensPerSecond() {
        FakeNode n = nodes.get(gpu);
        n.adapters.add(adapter("hot", "device", 30, 6, 4));
        n.adapters.add(adapter("cold", "disk", 0, 0, 10));
        n.load = new ServingLoad(3L, 1_000L);
        NodeAdaptersViewModel vm = model(TestTasks.immediate());
        vm.show(gpu);

        assertEquals(List.of("hot", "cold"), vm.adapters().stream().map(AdapterInfo::id).toList());
        assertEquals(3L, vm.queueDepthProperty().get());
        assertEquals(2, vm.inFlightProperty().get());
        assertNull(vm.tokensPerSecondProperty().get(), "one reading gives no rate");
        NodeAdaptersViewModel.TierSummary device = vm.tiers().get(0);
        assertEquals("device", device.tier());
        assertEquals(1, device.adapters());
        assertEquals(2048L, device.boundBytes());
        assertEquals(30.0 / 50, device.hitShare(), 1e-12);
        assertEquals(6.0 / 50, vm.tiers().get(1).hitShare(), 1e-12);
        assertEquals(14.0 / 50, vm.tiers().get(2).hitShare(), 1e-12);
        assertNull(vm.tiers().get(2).boundBytes());

        n.load = new ServingLoad(1L, 1_250L);
        now += 2_000_000_000L;
        vm.refresh();
        assertEquals(125.0, vm.tokensPerSecondProperty().get(), 1e-9);
        assertEquals(1L, vm.queueDepthProperty().get());

        n.load = new ServingLoad(0L, 40L); // the node restarted: its counter starts again
        now += 2_000_000_000L;
        vm.refresh();
        assertNull(vm.tokensPerSecondProperty().get());
    }

    @Test
    void aTierAsksTheNodeForThatTierOnlyAndHitSharesAreNotGuessedFromPart() {
        FakeNode n = nodes.get(gpu);
        n.adapters.add(adapter("hot", "device", 30, 6, 4));
        n.adapters.add(adapter("cold", "disk", 0, 0, 10));
        NodeAdaptersViewModel vm = model(TestTasks.immediate());
        vm.show(gpu);
        vm.filterProperty().set(NodeAdaptersViewModel.TierFilter.DISK);
        assertEquals("disk", n.tiersAsked.get(n.tiersAsked.size() - 1));
        assertEquals(List.of("cold"), vm.adapters().stream().map(AdapterInfo::id).toList());
        assertNull(vm.tiers().get(0).hitShare(), "a narrowed list does not hold every request");
        vm.filterProperty().set(NodeAdaptersViewModel.TierFilter.ALL);
        assertNull(n.tiersAsked.get(n.tiersAsked.size() - 1));
        assertEquals(2, vm.adapters().size());
    }

    @Test
    void pollsOnlyWhileShownAndForTheSelectedNode() {
        NodeAdaptersViewModel vm = model(TestTasks.immediate());
        vm.show(gpu);
        assertFalse(vm.isPolling(), "not on screen yet");
        vm.setShowing(true);
        assertTrue(vm.isPolling());
        assertEquals(Duration.ofSeconds(2), ticker.period);
        int asked = nodes.get(gpu).reads;
        ticker.tick();
        ticker.tick();
        assertEquals(asked + 2, nodes.get(gpu).reads);

        nodes.get(cpu).adapters.add(adapter("other", "host", 0, 1, 1));
        vm.show(cpu);
        ticker.tick();
        assertEquals(asked + 2, nodes.get(gpu).reads, "the node before is asked no more");
        assertEquals(List.of("other"), vm.adapters().stream().map(AdapterInfo::id).toList());

        vm.setShowing(false);
        assertFalse(vm.isPolling());
        assertEquals(0, ticker.live, "the ticks were stopped, not just ignored");
        vm.setShowing(true);
        vm.show(null);
        assertFalse(vm.isPolling());
        assertTrue(vm.adapters().isEmpty());
    }

    @Test
    void anAnswerAboutTheNodeBeforeIsDroppedAndATickDoesNotPileUpReads() {
        nodes.get(gpu).adapters.add(adapter("slow-node", "device", 1, 0, 0));
        nodes.get(cpu).adapters.add(adapter("fast-node", "device", 1, 0, 0));
        TestTasks.Manual worker = new TestTasks.Manual();
        NodeAdaptersViewModel vm = model(TestTasks.manual(worker));
        vm.setShowing(true);
        vm.show(gpu);
        ticker.tick(); // still reading: no second read
        assertEquals(1, worker.pending());
        vm.show(cpu);
        worker.runNewest(); // the selected node answers first
        worker.runAll(); // then the one before, late
        assertEquals(List.of("fast-node"), vm.adapters().stream().map(AdapterInfo::id).toList());
    }

    @Test
    void aNodeWithoutAnAddressOrFailingIsSaidSoAndTheNextGoodReadClearsIt() {
        NodeAdaptersViewModel vm = model(TestTasks.immediate());
        vm.show(starting);
        assertEquals("No answer from this node yet.", vm.messageProperty().get());
        nodes.get(gpu).failure = NodeErrors.unreachable();
        vm.show(gpu);
        assertTrue(vm.failedProperty().get());
        assertEquals("Cannot reach the node at http://127.0.0.1:9: Connection refused", vm.messageProperty().get());
        nodes.get(gpu).failure = null;
        vm.refresh();
        assertEquals("", vm.messageProperty().get());
        assertFalse(vm.failedProperty().get());
    }

    @Test
    void deleteRemovesTheAdapterAndAnAdapterInUseIsSaidSoAndKept() {
        FakeNode n = nodes.get(gpu);
        n.adapters.add(adapter("busy", "device", 1, 0, 0));
        n.adapters.add(adapter("idle", "host", 0, 1, 0));
        n.inUse.add("busy");
        NodeAdaptersViewModel vm = model(TestTasks.immediate());
        vm.show(gpu);
        vm.delete("busy");
        assertTrue(vm.failedProperty().get());
        assertEquals("'busy' is in use by a running request, so it was not deleted. Try again when the request is"
                + " done.", vm.messageProperty().get());
        assertEquals(2, vm.adapters().size());
        vm.refresh();
        assertEquals("'busy' is in use by a running request, so it was not deleted. Try again when the request is"
                + " done.", vm.messageProperty().get(), "a read does not wipe what an action said");

        vm.delete("idle");
        assertFalse(vm.failedProperty().get());
        assertEquals(List.of("busy"), vm.adapters().stream().map(AdapterInfo::id).toList());
        assertEquals(List.of("idle"), n.deleted);
        assertFalse(vm.busyProperty().get());
    }

    @Test
    void registerSendsTheFolderAndShowsTheNodesRefusalInItsWords() {
        FakeNode n = nodes.get(gpu);
        NodeAdaptersViewModel vm = model(TestTasks.immediate());
        vm.show(gpu);
        vm.register("/srv/adapters/legal-v2 ", " ");
        assertEquals(new AdapterRegistration("/srv/adapters/legal-v2", null, false, false), n.registered.get(0));
        assertEquals("Registered 'legal-v2' (rank 8, q_proj, v_proj): served from now on.", vm.messageProperty().get());
        assertEquals(List.of("legal-v2"), vm.adapters().stream().map(AdapterInfo::id).toList());

        n.failure = NodeErrors.http(400, "path", "The adapter at '/srv/x' cannot be served on 'tiny': it was"
                + " trained for 'meta-llama/Llama-3-8B'");
        vm.register("/srv/x", "x");
        assertTrue(vm.failedProperty().get());
        assertEquals("The adapter at '/srv/x' cannot be served on 'tiny': it was trained for 'meta-llama/Llama-3-8B'",
                vm.messageProperty().get());
        vm.register("  ", null);
        assertEquals("Give the adapter's folder on the node.", vm.messageProperty().get());
        assertEquals(1, n.registered.size());
    }

    @Test
    void servingLoadIsReadFromPrometheusText() {
        ServingLoad l = ServingLoad.parse("# HELP studio_inference_tokens_total Completion tokens generated.\n"
                + "# TYPE studio_inference_tokens_total counter\nstudio_inference_tokens_total 1234\n"
                + "studio_inference_active_rows_other 9\nstudio_inference_active_rows 7 1700000000\n");
        assertEquals(new ServingLoad(7L, 1234L), l);
        assertEquals(new ServingLoad(null, null), ServingLoad.parse("studio_node_uptime_seconds 4\n"));
        assertEquals(new ServingLoad(null, 3L), ServingLoad.parse("studio_inference_active_rows NaN\n"
                + "studio_inference_tokens_total 3.0\n"));
    }

    private static NodeRow row(String name, String url) {
        return new NodeRow(new NodeEntry(name, name, url == null ? null : URI.create(url), "t", url == null));
    }

    private static AdapterInfo adapter(String id, String tier, long deviceHits, long hostHits, long diskHits) {
        return new AdapterInfo(id, "tiny", 8, List.of("q_proj", "v_proj"), 4096, 1024, "ab", "2026-12-03T10:00:00Z",
                null, null, tier, 0, deviceHits + hostHits + diskHits, 10, deviceHits, hostHits, diskHits, 1, 1.5,
                0.5, 2.0);
    }

    /** One node: its adapters, load and what it was asked; a failure set here answers every call. */
    private static final class FakeNode implements AdaptersApi {
        final List<AdapterInfo> adapters = new ArrayList<>();
        final List<String> inUse = new ArrayList<>();
        final List<String> deleted = new ArrayList<>();
        final List<AdapterRegistration> registered = new ArrayList<>();
        final List<String> tiersAsked = new ArrayList<>();
        ServingLoad load = new ServingLoad(0L, 0L);
        RuntimeException failure;
        int reads;

        @Override
        public AdapterList adapters(String tier) {
            fail();
            reads++;
            tiersAsked.add(tier);
            List<AdapterInfo> data = adapters.stream().filter(a -> tier == null || a.tier().equals(tier)).toList();
            return new AdapterList("list", tier, List.of(new AdapterList.Tier("device", 1, 1024, 2048L),
                    new AdapterList.Tier("host", 0, 0, 4096L), new AdapterList.Tier("disk", adapters.size(), 8192,
                    null)), 2, 0, data);
        }

        @Override
        public ServingLoad servingLoad() {
            fail();
            return load;
        }

        @Override
        public AdapterInfo registerAdapter(AdapterRegistration r) {
            fail();
            registered.add(r);
            String id = r.id() != null ? r.id() : r.path().substring(r.path().lastIndexOf('/') + 1);
            AdapterInfo a = adapter(id, "disk", 0, 0, 0);
            adapters.add(a);
            return a;
        }

        @Override
        public AdapterDeleted deleteAdapter(String id) {
            fail();
            if (inUse.contains(id)) {
                throw NodeErrors.http(409, "id", "The adapter '" + id + "' is in use by a running request");
            }
            deleted.add(id);
            adapters.removeIf(a -> a.id().equals(id));
            return new AdapterDeleted(id, "adapter", true);
        }

        private void fail() {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Ticks when the test says; counts the tickers still running. */
    private static final class ManualTicker implements NodeAdaptersViewModel.Ticker {
        private final List<Runnable> ticks = new ArrayList<>();
        Duration period;
        int live;

        @Override
        public Runnable every(Duration period, Runnable tick) {
            this.period = period;
            ticks.add(tick);
            live++;
            return () -> {
                ticks.remove(tick);
                live--;
            };
        }

        void tick() {
            for (Runnable r : List.copyOf(ticks)) {
                r.run();
            }
        }
    }
}
