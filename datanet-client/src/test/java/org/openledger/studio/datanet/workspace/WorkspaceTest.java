package org.openledger.studio.datanet.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.datanet.check.CheckReport;
import org.openledger.studio.datanet.check.DuplicateGroup;
import org.openledger.studio.datanet.check.FindingKind;
import org.openledger.studio.datanet.check.NearDuplicateSettings;
import org.openledger.studio.datanet.check.RowChecks;
import org.openledger.studio.datanet.check.RowHash;
import org.openledger.studio.datanet.check.SignatureIndex;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.ProgressListener;

class WorkspaceTest {

    static final String BASE = "Proof of attribution measures how much each contributed row shaped the answer of a "
            + "model and pays its contributor a share of the inference fee in proportion to that influence";

    @TempDir
    Path dir;
    Workspace ws;
    long datanet;

    @BeforeEach
    void open() {
        ws = Workspace.open(dir.resolve("workspace.db"));
        datanet = ws.datanets().create(new NewDatanet("Attribution papers", "Notes on attribution",
                "# About\nRows about *attribution*.", List.of("ml", "attribution"), "CC-BY-4.0", "0xabc")).id();
    }

    @AfterEach
    void close() {
        ws.close();
    }

    private Path jsonl(String name, String... texts) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String t : texts) {
            b.append(t.startsWith("{") ? t : "{\"text\": \"" + t + "\"}").append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, b.toString());
        return f;
    }

    private ImportResult add(Path... files) {
        return ws.add(datanet, List.of(files), "0xabc", new Ingest(), ProgressListener.NONE);
    }

    @Test
    void datanetsHaveMetadataTagsAndVersions() {
        Datanet d = ws.datanets().get(datanet);
        assertEquals("Attribution papers", d.name());
        assertEquals(List.of("attribution", "ml"), d.tags());
        assertEquals("text", d.type());
        assertEquals(0, d.currentVersion());
        ws.datanets().addVersion(datanet, "first cut");
        ws.datanets().addVersion(datanet, "more rows");
        assertEquals(2, ws.datanets().get(datanet).currentVersion());
        WorkspaceException e = assertThrows(WorkspaceException.class, () -> ws.datanets().create(
                new NewDatanet("Attribution papers", "", "", List.of(), "MIT", "0xdef")));
        assertTrue(e.getMessage().contains("already exists"));
        assertEquals(1, ws.datanets().list().size());
        assertEquals("wal", ws.database().journalMode());
    }

    @Test
    void addingChecksAndStoresRowsAndTheReportCoversTheBatch() throws IOException {
        Path f = jsonl("a.jsonl", BASE, "A completely different sentence about rivers, stones and morning light.",
                BASE, BASE.replace("each contributed row", "every contributed row"), "{broken",
                "Contact carol@example.org for the whole set of river measurements please.");
        ImportResult r = add(f);
        assertEquals(5, r.newRows());
        assertEquals(1, r.files().get(0).problems().size());
        assertEquals(5, r.files().get(0).problems().get(0).line());

        CheckReport report = ws.check(r.batchId());
        assertEquals(5, report.rows().size());
        assertEquals("a.jsonl:1", report.rows().get(0).source());
        List<DuplicateGroup> groups = report.duplicateGroups();
        assertEquals(2, groups.size(), report.toJson());
        long first = report.rows().get(0).id();
        assertEquals(DuplicateGroup.Kind.EXACT, groups.get(0).kind());
        assertEquals(List.of(first, report.rows().get(2).id()), groups.get(0).rows());
        assertEquals(DuplicateGroup.Kind.NEAR, groups.get(1).kind());
        assertEquals(List.of(first, report.rows().get(3).id()), groups.get(1).rows());
        assertEquals(1, report.findings().size());
        assertEquals(FindingKind.EMAIL, report.findings().get(0).kind());
        assertTrue(report.blocksUpload());
        assertEquals(5, report.skippedLines().get(0).line());
    }

    @Test
    void addingTheSameFileAgainStoresNothingTwiceAndAnEditedLineIsNew() throws IOException {
        Path f = jsonl("a.jsonl", BASE, "Second row with enough words to pass the quality check.");
        ImportResult first = add(f);
        assertEquals(2, first.newRows());
        ImportResult again = add(f);
        assertEquals(0, again.newRows());
        assertEquals(2, ws.rows().count(datanet, null));

        jsonl("a.jsonl", BASE, "Second row with enough words to pass the quality check, now edited.");
        assertEquals(1, add(f).newRows());
        assertEquals(3, ws.rows().count(datanet, null));
    }

    @Test
    void aLaterBatchIsCheckedAgainstTheRowsAlreadyInTheWorkspace() throws IOException {
        ImportResult first = add(jsonl("old.jsonl", BASE, "An older row about something else entirely, rivers."));
        ImportResult second = add(jsonl("new.jsonl", "A brand new row that nobody has written before today.",
                BASE.replace("fee", "fees")));
        CheckReport report = ws.check(second.batchId());
        assertEquals(2, report.rows().size());
        assertEquals(1, report.duplicateGroups().size(), report.toJson());
        DuplicateGroup g = report.duplicateGroups().get(0);
        assertEquals(DuplicateGroup.Kind.NEAR, g.kind());
        assertEquals(List.of(report.rows().get(1).id()), g.rows());
        long oldRow = ws.rows().rows(datanet, RowQuery.all().withBatch(first.batchId())).get(0).id();
        assertEquals(List.of(oldRow), g.workspaceRows());
        assertEquals(1, report.summary().redundantRows());
    }

    @Test
    void theNodesIndexAddsRowsOtherContributorsUploaded() throws IOException {
        String other = "Rivers carry stones to the sea over many thousands of years, grinding them into sand.";
        SignatureIndex node = new SignatureIndex(NearDuplicateSettings.DEFAULT);
        RowChecks checks = new RowChecks();
        String variant = BASE + " today"; // one word more: 29 of 30 shingles shared, well above 0.8
        for (String text : List.of(other, variant, "Something the node has that we do not have.")) {
            node.add(RowHash.hex(RowHash.of(text)), checks.check(text).signature());
        }
        ImportResult r = add(jsonl("mine.jsonl", BASE, other, "A row of my own that is nowhere else at all."));
        CheckReport report = ws.check(r.batchId(), 0.8, node);

        List<DuplicateGroup> groups = report.duplicateGroups();
        assertEquals(2, groups.size(), report.toJson());
        DuplicateGroup near = groups.get(0);
        assertEquals(DuplicateGroup.Kind.NEAR, near.kind());
        assertEquals(List.of(report.rows().get(0).id()), near.rows());
        assertEquals(List.of(RowHash.hex(RowHash.of(variant))), near.nodeRows());
        assertTrue(near.similarity() >= 0.8 && near.similarity() < 1);
        DuplicateGroup exact = groups.get(1);
        assertEquals(DuplicateGroup.Kind.EXACT, exact.kind());
        assertEquals(List.of(report.rows().get(1).id()), exact.rows());
        assertEquals(2, report.summary().redundantRows());
        assertTrue(report.toJson().contains("\"node_rows\""));
    }

    @Test
    void curationSearchesFiltersAndRejects() throws IOException {
        ImportResult r = add(jsonl("a.jsonl", BASE, "Rivers carry stones to the sea over many thousands of years.",
                "Mail dave@example.net about the river survey results and the next meeting."));
        List<StoredRow> rivers = ws.rows().rows(datanet, RowQuery.all().withSearch("river*"));
        assertEquals(2, rivers.size());
        assertEquals(1, ws.rows().rows(datanet, RowQuery.all().withSearch("\"attribution\" influence")).size());
        List<StoredRow> blocking = ws.rows().rows(datanet, RowQuery.all().blockingOnly());
        assertEquals(1, blocking.size());
        assertEquals(FindingKind.EMAIL, blocking.get(0).findings().get(0).kind());

        ws.rows().setStatus(List.of(blocking.get(0).id()), RowStatus.REJECTED);
        assertEquals(1, ws.rows().count(datanet, RowStatus.REJECTED));
        CheckReport report = ws.check(r.batchId());
        assertEquals(2, report.rows().size(), "rejected rows are not part of the upload");
        assertTrue(!report.blocksUpload());
        assertEquals(2, ws.rows().rows(datanet, RowQuery.all().withStatus(RowStatus.PENDING)).size());
    }

    @Test
    void aFileThatCannotBeReadIsReportedAndTheOthersAreAdded() throws IOException {
        Path good = jsonl("good.jsonl", BASE);
        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0});
        ImportResult r = add(bad, good);
        assertEquals(1, r.newRows());
        assertTrue(r.failures().get("bad.txt").contains("PNG"), r.failures().toString());

        Path sameName = Files.createDirectories(dir.resolve("other")).resolve("good.jsonl");
        Files.writeString(sameName, "{\"text\": \"a different row in a file of the same name\"}\n");
        ImportResult clash = add(jsonl("good.jsonl", BASE), sameName);
        assertTrue(clash.failures().get(sameName.toString()).contains("also named good.jsonl"), clash.failures().toString());
    }
}
