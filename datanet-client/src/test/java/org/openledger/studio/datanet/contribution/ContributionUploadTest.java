package org.openledger.studio.datanet.contribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.ProgressListener;
import org.openledger.studio.datanet.workspace.NewDatanet;
import org.openledger.studio.datanet.workspace.RowQuery;
import org.openledger.studio.datanet.workspace.RowStatus;
import org.openledger.studio.datanet.workspace.Workspace;

class ContributionUploadTest {

    static final ManifestDomain DOMAIN = new ManifestDomain(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
    static final ChunkLimits SMALL = new ChunkLimits(3, 1 << 20);

    @TempDir
    Path dir;
    Workspace ws;
    ContributionUploads uploads;
    long datanet;
    final KeySigner signer = new KeySigner(KeySigner.DEV_KEY);
    final NodeRegistry.Storage node = new NodeRegistry.Storage();

    @BeforeEach
    void setUp() throws IOException {
        ws = Workspace.open(dir.resolve("ws.db"));
        uploads = new ContributionUploads(ws, Clock.systemUTC());
        datanet = ws.datanets().create(new NewDatanet("rivers", "", "", List.of(), "CC-BY-4.0", signer.address())).id();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            b.append("{\"text\": \"River ").append(i).append(" carries stones and sand down to the sea in spring.\"}\n");
        }
        b.append("{\"text\": \"River 0 carries stones and sand down to the sea in spring.\"}\n"); // an exact copy
        b.append("{\"text\": \"Write to erin@example.com for the measurements of every river.\"}\n");
        Path f = dir.resolve("rivers.jsonl");
        Files.writeString(f, b.toString());
        ws.add(datanet, List.of(f), signer.address(), new Ingest(), ProgressListener.NONE);
    }

    @AfterEach
    void tearDown() {
        ws.close();
    }

    private void rejectBlockingRows() {
        List<Long> ids = ws.rows().rows(datanet, RowQuery.all().blockingOnly()).stream().map(r -> r.id()).toList();
        ws.rows().setStatus(ids, RowStatus.REJECTED);
    }

    private PreparedContribution prepareAndSign() {
        rejectBlockingRows();
        PreparedContribution p = uploads.prepare(datanet, signer.address(), BigInteger.valueOf(7), BigInteger.ONE, SMALL);
        uploads.sign(p.uploadId(), signer, DOMAIN);
        return p;
    }

    @Test
    void rowsWithSecretsOrPersonalDataBlockTheContribution() {
        ContributionBlockedException e = assertThrows(ContributionBlockedException.class,
                () -> uploads.prepare(datanet, signer.address(), BigInteger.ONE, BigInteger.ONE, SMALL));
        assertEquals(1, e.rowIds().size());
        rejectBlockingRows();
        PreparedContribution p = uploads.prepare(datanet, signer.address(), BigInteger.ONE, BigInteger.ONE, SMALL);
        assertEquals(10, p.manifest().rowCount());
        assertEquals(1, p.skippedDuplicates(), "the exact copy is contributed once");
        assertEquals(4, p.chunks().size());
        assertEquals(List.of(3, 3, 3, 1), p.chunks().stream().map(PlannedChunk::rowCount).toList());
        assertEquals("CC-BY-4.0", p.manifest().licence());
    }

    @Test
    void anUploadPausedHalfWayResumesAfterARestartAndStoresEveryRowOnce() {
        PreparedContribution p = prepareAndSign();
        AtomicInteger sends = new AtomicInteger();
        UploadState paused = uploads.upload(p.uploadId(), new NodeRegistry(node, DOMAIN, -1, 0),
                (done, total) -> sends.incrementAndGet(), () -> sends.get() >= 2);
        assertEquals(UploadState.Stage.UPLOADING, paused.stage());
        assertEquals(2, paused.chunksSent());

        ws.close(); // the studio quits; a new one opens the same workspace
        ws = Workspace.open(dir.resolve("ws.db"));
        uploads = new ContributionUploads(ws, Clock.systemUTC());
        UploadState done = uploads.upload(p.uploadId(), new NodeRegistry(node, DOMAIN, -1, 0),
                ProgressListener.NONE, () -> false);

        assertEquals(UploadState.Stage.COMPLETE, done.stage());
        assertEquals(4, done.chunksSent());
        assertEquals(10, node.rows.size());
        assertEquals(4, node.chunksStored, "no chunk was stored twice");
        assertEquals(List.of(UploadState.Stage.COMPLETE),
                uploads.history(datanet).stream().map(UploadState::stage).toList());
        UploadException nothing = assertThrows(UploadException.class,
                () -> uploads.prepare(datanet, signer.address(), BigInteger.ONE, BigInteger.TWO, SMALL));
        assertTrue(nothing.getMessage().contains("Nothing to contribute"));
    }

    @Test
    void aNodeThatGoesDownMidUploadIsResumedWithoutLosingOrRepeatingChunks() {
        PreparedContribution p = prepareAndSign();
        assertThrows(UncheckedIOException.class, () -> uploads.upload(p.uploadId(),
                new NodeRegistry(node, DOMAIN, 3, 0), ProgressListener.NONE, () -> false));
        assertEquals(3, uploads.state(p.uploadId()).chunksSent());

        // the node restarts with its storage; the studio tries again
        UploadState done = uploads.upload(p.uploadId(), new NodeRegistry(node, DOMAIN, -1, 0),
                ProgressListener.NONE, () -> false);
        assertEquals(UploadState.Stage.COMPLETE, done.stage());
        assertEquals(4, node.chunksStored);
        assertEquals(10, node.rows.size());
    }

    @Test
    void aChunkDamagedInTransitIsRefusedAndSentAgain() {
        PreparedContribution p = prepareAndSign();
        UploadState done = uploads.upload(p.uploadId(), new NodeRegistry(node, DOMAIN, -1, 1),
                ProgressListener.NONE, () -> false);
        assertEquals(UploadState.Stage.COMPLETE, done.stage());

        PreparedContribution other = freshContribution();
        UploadException e = assertThrows(UploadException.class, () -> uploads.upload(other.uploadId(),
                new NodeRegistry(new NodeRegistry.Storage(), DOMAIN, -1, 99), ProgressListener.NONE, () -> false));
        assertTrue(e.getMessage().contains("refused chunk 0 twice") && e.getMessage().contains("hash mismatch"),
                e.getMessage());
        assertEquals(0, uploads.state(other.uploadId()).chunksSent());
    }

    @Test
    void rowsTamperedInTheWorkspaceAfterSigningAreNotSent() throws Exception {
        PreparedContribution p = prepareAndSign();
        ws.database().transaction(c -> c.createStatement().executeUpdate(
                "UPDATE datanet_row SET text = 'tampered' WHERE id = (SELECT MIN(id) FROM datanet_row)"));
        UploadException e = assertThrows(UploadException.class, () -> uploads.upload(p.uploadId(),
                new NodeRegistry(node, DOMAIN, -1, 0), ProgressListener.NONE, () -> false));
        assertTrue(e.getMessage().contains("no longer matches"), e.getMessage());
        assertTrue(node.rows.isEmpty());
    }

    @Test
    void aManifestSignedByAnotherAccountIsRefused() {
        rejectBlockingRows();
        PreparedContribution p = uploads.prepare(datanet, signer.address(), BigInteger.ONE, BigInteger.ONE, SMALL);
        KeySigner other = new KeySigner("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        UploadException e = assertThrows(UploadException.class, () -> uploads.sign(p.uploadId(), other, DOMAIN));
        assertTrue(e.getMessage().contains("switch accounts"));
        UploadException unsigned = assertThrows(UploadException.class, () -> uploads.upload(p.uploadId(),
                new NodeRegistry(node, DOMAIN, -1, 0), ProgressListener.NONE, () -> false));
        assertTrue(unsigned.getMessage().contains("sign it first"));
        uploads.discard(p.uploadId());
        assertEquals(UploadState.Stage.DISCARDED, uploads.state(p.uploadId()).stage());
    }

    /** A second Datanet with its own rows, signed, for a second upload. */
    private PreparedContribution freshContribution() {
        long other = ws.datanets().create(new NewDatanet("lakes", "", "", List.of(), "MIT", signer.address())).id();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            lines.add("{\"text\": \"Lake " + i + " is deep and cold and very quiet in the winter.\"}");
        }
        try {
            Path f = dir.resolve("lakes.jsonl");
            Files.write(f, lines);
            ws.add(other, List.of(f), signer.address(), new Ingest(), ProgressListener.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PreparedContribution p = uploads.prepare(other, signer.address(), BigInteger.TEN, BigInteger.ONE, SMALL);
        uploads.sign(p.uploadId(), signer, DOMAIN);
        return p;
    }
}
