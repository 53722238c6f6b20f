package org.openledger.studio.ui.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.attribution.AttributionApi;
import org.openledger.studio.api.attribution.AttributionCsv;
import org.openledger.studio.api.attribution.AttributionList;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.api.attribution.InfluenceIndexList;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.ui.tasks.NodeErrors;
import org.openledger.studio.ui.tasks.TestTasks;

/**
 * The Attribution section against a fake of the node's {@link AttributionApi}: listing with filters, selection kept
 * across refreshes, a pending record followed until done (and no longer once another is selected), index rebuilds,
 * CSV export, and the node's failures in the status line. The worker runs only when the test says, so what the
 * section shows while the node is asked can be checked too.
 */
class AttributionViewModelTest {

    @TempDir
    Path dir;

    private final FakeNode node = new FakeNode();
    private Optional<FakeNode> active = Optional.of(node);
    private final TestTasks.Manual worker = new TestTasks.Manual();
    private final BackgroundTasks tasks = TestTasks.manual(worker);
    private final AttributionViewModel vm = new AttributionViewModel(() -> active, tasks);

    @Test
    void refreshListsTheRecordsAndIndexesWithTheFiltersGiven() {
        node.listed = List.of(record("attr-1", "done"), record("attr-2", "done"));
        node.indexes = List.of(index("helper", "ready"));
        vm.modelFilterProperty().set(" helper ");
        vm.datanetFilterProperty().set("   ");
        vm.contributorFilterProperty().set("0xabc");

        vm.refresh();
        assertTrue(vm.loadingProperty().get(), "loading while the node is asked");
        assertEquals(List.of(), vm.records(), "nothing shown before the answer");
        worker.runAll();

        assertEquals(List.of(new Query("helper", "0xabc", null, AttributionViewModel.LIMIT)), node.queries,
                "filters stripped, a blank one left out");
        assertEquals(List.of("attr-1", "attr-2"), vm.records().stream().map(AttributionRecord::id).toList());
        assertEquals(List.of("helper"), vm.indexes().stream().map(InfluenceIndexInfo::adapter).toList());
        assertEquals("", vm.statusProperty().get());
        assertFalse(vm.loadingProperty().get());
    }

    @Test
    void anEmptyListSaysWhetherTheFiltersHideRecordsOrThereAreNone() {
        vm.refresh();
        worker.runAll();
        assertEquals("No attributed answers yet: ask an adapter with an influence index in the Playground.",
                vm.statusProperty().get());
        vm.datanetFilterProperty().set("7");
        vm.refresh();
        worker.runAll();
        assertEquals("No attributed answers match these filters.", vm.statusProperty().get());
    }

    @Test
    void withoutANodeNothingIsAskedAndTheListsEmpty() {
        node.listed = List.of(record("attr-1", "done"));
        vm.refresh();
        worker.runAll();
        assertEquals(1, vm.records().size());
        active = Optional.empty();
        vm.refresh();
        assertEquals(0, worker.pending());
        assertEquals("No node is connected yet.", vm.statusProperty().get());
        assertEquals(List.of(), vm.records());
        assertEquals(List.of(), vm.indexes());
        vm.rebuild("helper");
        assertEquals("No node is connected yet.", vm.statusProperty().get());
        assertEquals(List.of(), node.rebuilt);
    }

    @Test
    void aNodeThatFailsToListIsNamedInTheStatusAndLoadingEnds() {
        node.listed = List.of(record("attr-1", "done"));
        vm.refresh();
        worker.runAll();
        node.listFailure = NodeErrors.unauthorized();
        vm.refresh();
        worker.runAll();
        assertEquals("Could not list attributions: The node at http://127.0.0.1:9 refused the token: invalid token",
                vm.statusProperty().get());
        assertFalse(vm.loadingProperty().get());
        assertEquals(List.of("attr-1"), vm.records().stream().map(AttributionRecord::id).toList(),
                "what was listed before stays");
    }

    @Test
    void theSelectionIsKeptWhileItsRecordIsStillListed() {
        AttributionRecord one = record("attr-1", "done");
        node.listed = List.of(one, record("attr-2", "done"));
        vm.refresh();
        worker.runAll();
        vm.select(vm.records().get(0));
        assertSame(one, vm.selectedProperty().get());

        AttributionRecord oneAgain = record("attr-1", "done");
        node.listed = List.of(record("attr-3", "done"), oneAgain);
        vm.refresh();
        worker.runAll();
        assertSame(oneAgain, vm.selectedProperty().get(), "the same record, as listed now");

        node.listed = List.of(record("attr-3", "done"));
        vm.refresh();
        worker.runAll();
        assertNull(vm.selectedProperty().get(), "gone from the list, so nothing is selected");
    }

    @Test
    void aPendingRecordIsFollowedUntilDoneInTheListAndTheDetail() {
        node.listed = List.of(record("attr-1", "pending"), record("attr-2", "done"));
        vm.refresh();
        worker.runAll();
        AttributionRecord done = record("attr-1", "done");
        node.reads.put("attr-1", new ArrayDeque<>(List.of(done)));

        vm.select(vm.records().get(0));
        assertEquals("pending", vm.selectedProperty().get().state(), "shown as it is until the node has it");
        assertEquals(1, worker.pending(), "the record is read on the worker");
        worker.runAll();

        assertSame(done, vm.selectedProperty().get());
        assertSame(done, vm.records().get(0), "the list shows the finished record too");
        assertEquals(List.of("attr-1"), node.read);
    }

    @Test
    void aDoneRecordIsNotFollowed() {
        node.listed = List.of(record("attr-2", "done"));
        vm.refresh();
        worker.runAll();
        vm.select(vm.records().get(0));
        assertEquals(0, worker.pending());
        assertEquals(List.of(), node.read);
    }

    @Test
    void selectingAnotherRecordStopsFollowingThePendingOne() {
        node.listed = List.of(record("attr-1", "pending"), record("attr-2", "pending"));
        vm.refresh();
        worker.runAll();
        node.reads.put("attr-1", new ArrayDeque<>(List.of(record("attr-1", "done"))));
        AttributionRecord twoDone = record("attr-2", "done");
        node.reads.put("attr-2", new ArrayDeque<>(List.of(twoDone)));

        vm.select(vm.records().get(0));
        vm.select(vm.records().get(1));
        worker.runAll();

        assertEquals(List.of("attr-2"), node.read, "the first follower was cancelled before it asked");
        assertSame(twoDone, vm.selectedProperty().get());
        assertEquals("pending", vm.records().get(0).state(), "the record no longer followed is left as listed");
    }

    @Test
    void stopEndsTheFollowingWhenTheSectionIsLeft() {
        node.listed = List.of(record("attr-1", "pending"));
        vm.refresh();
        worker.runAll();
        node.reads.put("attr-1", new ArrayDeque<>(List.of(record("attr-1", "done"))));
        vm.select(vm.records().get(0));
        vm.stop();
        worker.runAll();
        assertEquals(List.of(), node.read);
        assertEquals("pending", vm.selectedProperty().get().state());
    }

    @Test
    void aRecordThatCannotBeReadIsNamedInTheStatus() {
        node.listed = List.of(record("attr-1", "pending"));
        vm.refresh();
        worker.runAll();
        node.readFailure = NodeErrors.unreachable();
        vm.select(vm.records().get(0));
        worker.runAll();
        assertEquals("Could not read attr-1: Cannot reach the node at http://127.0.0.1:9: Connection refused",
                vm.statusProperty().get());
        assertEquals("pending", vm.selectedProperty().get().state());
    }

    @Test
    void rebuildAsksTheNodeAndShowsTheIndexesAnew() {
        node.indexes = List.of(index("helper", "queued"));
        vm.rebuild("helper");
        assertEquals(List.of(), vm.indexes(), "nothing changes before the node answers");
        worker.runAll();
        assertEquals(List.of("helper"), node.rebuilt);
        assertEquals(List.of("queued"), vm.indexes().stream().map(InfluenceIndexInfo::state).toList());
        assertEquals("Rebuilding the influence index of helper: Refresh to follow it.", vm.statusProperty().get());
    }

    @Test
    void aRebuildTheNodeRefusesShowsItsReason() {
        node.rebuildFailure = NodeErrors.http(400, "adapter", "no job of this node trained 'helper'");
        vm.rebuild("helper");
        worker.runAll();
        assertEquals("Could not rebuild the index of helper: The node at http://127.0.0.1:9 answered 400: "
                + "no job of this node trained 'helper'", vm.statusProperty().get());
    }

    @Test
    void exportWritesTheRecordsListedAsCsv() throws Exception {
        node.listed = List.of(record("attr-1", "done"), record("attr-2", "failed"));
        vm.refresh();
        worker.runAll();
        Path file = dir.resolve("attributions.csv");
        vm.export(file);
        assertFalse(Files.exists(file), "written on the worker");
        worker.runAll();
        List<String> lines = Files.readAllLines(file);
        assertEquals(AttributionCsv.HEADER, lines.get(0));
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).startsWith("attr-1,") && lines.get(2).startsWith("attr-2,"), lines.toString());
        assertEquals("Exported 2 rows of 2 records to " + file, vm.statusProperty().get());
    }

    @Test
    void anExportThatCannotWriteSaysWhere() {
        Path file = dir.resolve("missing-folder").resolve("attributions.csv");
        vm.export(file);
        worker.runAll();
        assertTrue(vm.statusProperty().get().startsWith("Could not export to " + file + ": "),
                vm.statusProperty().get());
    }

    static AttributionRecord record(String id, String state) {
        return new AttributionRecord(id, "attribution", state, 1_700_000_000L, "helper", "helper", "an answer",
                List.of(), List.of(), List.of(), List.of(), 0, 0.0, 0.1, null);
    }

    private static InfluenceIndexInfo index(String adapter, String state) {
        return new InfluenceIndexInfo(adapter, state, 12, 0, 1024, 0L, null, "tracin", null, 1L);
    }

    private record Query(String model, String contributor, String datanet, int limit) {
    }

    /** The node's records and indexes, answering what the test set and noting what it was asked. */
    private static final class FakeNode implements AttributionApi {
        List<AttributionRecord> listed = List.of();
        List<InfluenceIndexInfo> indexes = List.of();
        RuntimeException listFailure;
        RuntimeException readFailure;
        RuntimeException rebuildFailure;
        /** What each read of a record answers, in turn. */
        final Map<String, Deque<AttributionRecord>> reads = new HashMap<>();
        final List<Query> queries = new ArrayList<>();
        final List<String> read = new ArrayList<>();
        final List<String> rebuilt = new ArrayList<>();

        @Override
        public AttributionList attributions(String model, String contributor, String datanet, int limit) {
            if (listFailure != null) {
                throw listFailure;
            }
            queries.add(new Query(model, contributor, datanet, limit));
            return new AttributionList("list", listed);
        }

        @Override
        public InfluenceIndexList influenceIndexes() {
            return new InfluenceIndexList("list", indexes);
        }

        @Override
        public InfluenceIndexInfo buildInfluenceIndex(String adapter) {
            if (rebuildFailure != null) {
                throw rebuildFailure;
            }
            rebuilt.add(adapter);
            return index(adapter, "queued");
        }

        @Override
        public AttributionRecord attribution(String id) {
            if (readFailure != null) {
                throw readFailure;
            }
            read.add(id);
            return reads.get(id).poll();
        }
    }
}
