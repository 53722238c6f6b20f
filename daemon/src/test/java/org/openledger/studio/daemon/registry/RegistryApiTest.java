package org.openledger.studio.daemon.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.registry.ChunkAccepted;
import org.openledger.studio.datanet.node.HttpRegistryClient;
import org.openledger.studio.api.registry.UploadStatus;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.datanet.check.CheckReport;
import org.openledger.studio.datanet.check.DuplicateGroup;
import org.openledger.studio.datanet.contribution.ChunkLimits;
import org.openledger.studio.datanet.contribution.ContributionRejectedException;
import org.openledger.studio.datanet.contribution.ContributionUploads;
import org.openledger.studio.datanet.contribution.ManifestDomain;
import org.openledger.studio.datanet.contribution.ManifestSigner;
import org.openledger.studio.datanet.contribution.PlannedChunk;
import org.openledger.studio.datanet.contribution.PreparedContribution;
import org.openledger.studio.datanet.contribution.UploadState;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.ProgressListener;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.ImportResult;
import org.openledger.studio.datanet.workspace.NewDatanet;
import org.openledger.studio.datanet.workspace.Workspace;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** The node's Datanet registry over a real socket, with the studio's own upload engine and HTTP client. */
class RegistryApiTest {

    private static final String TOKEN = "registry-test-token-0123456789";
    private static final ManifestDomain DOMAIN = new ManifestDomain(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");

    @TempDir
    Path dir;

    private Node node;
    private Workspace workspace;
    private final okhttp3.OkHttpClient http = NodeClient.defaultHttp();

    /** A ManifestSigner over a plain key (the wallet's signer is tested in the wallet and the CLI). */
    record KeySigner(ECKeyPair key) implements ManifestSigner {
        @Override
        public String address() {
            return "0x" + Keys.getAddress(key.getPublicKey());
        }

        @Override
        public byte[] sign(byte[] digest, String typedDataJson) {
            Sign.SignatureData s = Sign.signMessage(digest, key, false);
            byte[] out = new byte[65];
            System.arraycopy(s.getR(), 0, out, 0, 32);
            System.arraycopy(s.getS(), 0, out, 32, 32);
            out[64] = s.getV()[0];
            return out;
        }
    }

    private final KeySigner signer = new KeySigner(ECKeyPair.create(BigInteger.valueOf(0xC0FFEE123456L)));

    @BeforeEach
    void setUp() {
        workspace = Workspace.open(dir.resolve("studio/workspace.db"));
    }

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.close();
        }
        workspace.close();
    }

    private Node startNode() {
        return Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("node"), TOKEN, "t",
                Duration.ofSeconds(2)), "test", RegistryService.addTo(NodeServices.none(), dir.resolve("node"), DOMAIN));
    }

    private HttpRegistryClient client() {
        return new HttpRegistryClient(new NodeClient(http, node.url(), TOKEN));
    }

    private Datanet datanetWithRows(String name, int rows) throws Exception {
        Datanet d = workspace.datanets().create(new NewDatanet(name, "", "", List.of(), "CC-BY-4.0", signer.address()));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            sb.append("{\"text\": \"Row ").append(i).append(" tells of river ").append(i * 7919)
                    .append(" and the town that grew on its bank in year ").append(1200 + i).append("\"}\n");
        }
        Path file = Files.writeString(dir.resolve(name + ".jsonl"), sb.toString(), StandardCharsets.UTF_8);
        ImportResult r = workspace.add(d.id(), List.of(file), signer.address(), new Ingest(), ProgressListener.NONE);
        assertTrue(r.failures().isEmpty(), r.failures().toString());
        return d;
    }

    @Test
    void uploadSurvivesANodeRestartResumesWithoutDuplicatesAndFeedsNearDuplicateQueries() throws Exception {
        Datanet d = datanetWithRows("rivers", 23);
        ContributionUploads uploads = new ContributionUploads(workspace, Clock.systemUTC());
        PreparedContribution p = uploads.prepare(d.id(), signer.address(), BigInteger.valueOf(7), BigInteger.ONE,
                new ChunkLimits(5, 1 << 20));
        assertEquals(5, p.chunks().size());
        uploads.sign(p.uploadId(), signer, DOMAIN);

        node = startNode();
        assertEquals(DOMAIN.verifyingContract(), client().info().verifyingContract());
        AtomicInteger sent = new AtomicInteger();
        UploadState paused = uploads.upload(p.uploadId(), client(), (n, t) -> sent.set((int) n), () -> sent.get() >= 2);
        assertEquals(UploadState.Stage.UPLOADING, paused.stage());
        assertEquals(2, paused.chunksSent());

        // the node restarts (on another port): it still holds the two chunks it acknowledged
        node.close();
        node = startNode();
        UploadStatus afterRestart = client().status(paused.remoteId());
        assertEquals(List.of(0, 1), afterRestart.receivedChunks());
        assertEquals("open", afterRestart.state());

        UploadState done = uploads.upload(p.uploadId(), client(), ProgressListener.NONE, () -> false);
        assertEquals(UploadState.Stage.COMPLETE, done.stage());
        assertEquals(23, client().status(done.remoteId()).rows());

        // finishing, opening and sending again changes nothing: every row is held once
        HttpRegistryClient c = client();
        assertEquals(23, c.finish(done.remoteId()).rows());
        assertEquals(done.remoteId(), c.open(new org.openledger.studio.datanet.contribution.SignedManifest(
                uploads.manifest(p.uploadId()), signatureOf(uploads, p)), p.chunks()).id());
        List<UploadStatus> contributions = c.contributions(BigInteger.valueOf(7));
        assertEquals(1, contributions.size());
        assertEquals(23, contributions.get(0).rows());
        RegistryStore store = null;
        node.close();
        node = null;
        store = RegistryStore.open(dir.resolve("node"));
        try {
            for (String hash : uploads.manifest(p.uploadId()).rowHashes()) {
                assertEquals(1, store.rowsWithHash("7", hash), hash);
            }
            // fine-tuning reads them back in manifest order, with their provenance
            List<RegistryStore.StoredRow> rows = store.rows("7");
            assertEquals(23, rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(i, rows.get(i).seq());
                assertEquals(uploads.manifest(p.uploadId()).rowHashes().get(i), rows.get(i).hash());
                assertTrue(rows.get(i).text().startsWith("Row " + i + " tells"), rows.get(i).text());
                assertEquals(done.remoteId(), rows.get(i).uploadId());
            }
            assertTrue(store.rows("8").isEmpty());
        } finally {
            store.close();
        }

        // the rows are in the node's near-duplicate index (rebuilt at start): a new batch with a copy and an edit
        node = startNode();
        Path more = Files.writeString(dir.resolve("more.jsonl"),
                "{\"text\": \"Row 3 tells of river 23757 and the town that grew on its bank in year 1203\"}\n"
                        + "{\"text\": \"Row 4 tells of river 31676 and the town that grew up on its bank in year 1204\"}\n"
                        + "{\"text\": \"Something else entirely about mountains and their glaciers\"}\n",
                StandardCharsets.UTF_8);
        Workspace other = Workspace.open(dir.resolve("other/workspace.db"));
        try {
            Datanet o = other.datanets().create(new NewDatanet("rivers", "", "", List.of(), "CC-BY-4.0", "someone"));
            ImportResult r = other.add(o.id(), List.of(more), "someone", new Ingest(), ProgressListener.NONE);
            CheckReport report = other.check(r.batchId(), 0.6, client().duplicateIndex(BigInteger.valueOf(7)));
            List<DuplicateGroup> nodeGroups = report.duplicateGroups().stream().filter(g -> !g.nodeRows().isEmpty())
                    .toList();
            assertEquals(2, nodeGroups.size(), report.toJson());
            assertEquals(DuplicateGroup.Kind.EXACT, nodeGroups.get(0).kind());
            assertEquals(DuplicateGroup.Kind.NEAR, nodeGroups.get(1).kind());
        } finally {
            other.close();
        }
        NodeClientException low = assertThrows(NodeClientException.class, () -> client().duplicateIndex(BigInteger.ONE)
                .nearDuplicates(List.of(), 0.2));
        assertEquals(400, low.status());
    }

    private static String signatureOf(ContributionUploads uploads, PreparedContribution p) throws Exception {
        // the workspace keeps the signature; sign again gives the same bytes (RFC 6979 deterministic k)
        return "0x" + java.util.HexFormat.of().formatHex(new KeySigner(ECKeyPair.create(BigInteger.valueOf(0xC0FFEE123456L)))
                .sign(new org.openledger.studio.datanet.contribution.ManifestTypedData(uploads.manifest(p.uploadId()),
                        DOMAIN).digest(), ""));
    }

    @Test
    void theNodeSaysItOffersTheRegistry() throws Exception {
        node = startNode();
        var info = new NodeClient(http, node.url(), TOKEN).node();
        org.junit.jupiter.api.Assertions.assertTrue(info.capabilities().stream()
                .anyMatch(c -> c.name().equals("datanet_registry") && c.available()), info.capabilities().toString());
    }

    @Test
    void aTamperedChunkABadSignatureAndAnEarlyFinishAreRefused() throws Exception {
        Datanet d = datanetWithRows("lakes", 6);
        ContributionUploads uploads = new ContributionUploads(workspace, Clock.systemUTC());
        PreparedContribution p = uploads.prepare(d.id(), signer.address(), BigInteger.TWO, BigInteger.TEN,
                new ChunkLimits(3, 1 << 20));
        var signed = uploads.sign(p.uploadId(), signer, DOMAIN);
        node = startNode();
        HttpRegistryClient c = client();

        // signed by another key for the same contributor address: refused before anything is stored
        KeySigner mallory = new KeySigner(ECKeyPair.create(BigInteger.valueOf(424242)));
        var typed = new org.openledger.studio.datanet.contribution.ManifestTypedData(signed.manifest(), DOMAIN);
        var forged = org.openledger.studio.datanet.contribution.SignedManifest.of(signed.manifest(),
                mallory.sign(typed.digest(), typed.json()));
        ContributionRejectedException bad = assertThrows(ContributionRejectedException.class,
                () -> c.open(forged, p.chunks()));
        assertTrue(bad.getMessage().contains("not signed by its contributor"), bad.getMessage());

        String id = c.open(signed, p.chunks()).id();
        PlannedChunk first = p.chunks().get(0);
        NodeClient raw = new NodeClient(http, node.url(), TOKEN);
        byte[] payload = new org.openledger.studio.datanet.contribution.ChunkPayload().encode(
                new org.openledger.studio.datanet.contribution.ChunkPayload().decode(
                        rowsOf(d, first)));
        byte[] tampered = new String(payload, StandardCharsets.UTF_8).replace("river", "rivet")
                .getBytes(StandardCharsets.UTF_8);
        NodeClientException e = assertThrows(NodeClientException.class, () -> raw.put("v1/registry/uploads/" + id
                + "/chunks/0", Map.of("hash", first.hash()), tampered, "application/x-ndjson", ChunkAccepted.class));
        assertEquals(400, e.status());
        assertEquals("contribution_rejected", e.error().error().code());
        assertTrue(e.error().error().message().contains("hash mismatch"), e.getMessage());
        // the bytes' own hash does not help: the plan signed in the manifest names the original
        String ownHash = org.openledger.studio.datanet.contribution.ChunkPayload.hash(tampered);
        assertEquals(400, assertThrows(NodeClientException.class, () -> raw.put("v1/registry/uploads/" + id
                + "/chunks/0", Map.of("hash", ownHash), tampered, "application/x-ndjson", ChunkAccepted.class)).status());
        assertEquals(List.of(), c.status(id).receivedChunks());

        NodeClientException early = assertThrows(NodeClientException.class,
                () -> raw.post("v1/registry/uploads/" + id + "/finish", Map.of(), UploadStatus.class));
        assertEquals(409, early.status());
        assertEquals(404, assertThrows(NodeClientException.class, () -> c.status("upl-nope")).status());

        assertEquals(3, raw.put("v1/registry/uploads/" + id + "/chunks/0", Map.of("hash", first.hash()), payload,
                "application/x-ndjson", ChunkAccepted.class).rows());
        assertEquals(List.of(0), c.status(id).receivedChunks());
    }

    /** The original payload of a chunk, rebuilt from the workspace as the upload engine does. */
    private byte[] rowsOf(Datanet d, PlannedChunk chunk) {
        List<org.openledger.studio.datanet.contribution.UploadRow> rows = new ArrayList<>();
        for (var r : workspace.rows().rows(d.id(), org.openledger.studio.datanet.workspace.RowQuery.all()
                .page(chunk.firstRow(), chunk.rowCount()))) {
            rows.add(new org.openledger.studio.datanet.contribution.UploadRow(
                    org.openledger.studio.datanet.check.RowHash.hex(r.hash()), r.provenance().source(), r.text()));
        }
        return new org.openledger.studio.datanet.contribution.ChunkPayload().encode(rows);
    }
}
