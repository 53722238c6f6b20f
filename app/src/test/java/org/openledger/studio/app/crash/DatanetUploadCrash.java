package org.openledger.studio.app.crash;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.datanet.node.HttpRegistryClient;
import org.openledger.studio.api.registry.RegistryInfo;
import org.openledger.studio.app.cli.datanet.KeyManifestSigner;
import org.openledger.studio.datanet.bench.SyntheticRows;
import org.openledger.studio.datanet.contribution.ChunkLimits;
import org.openledger.studio.datanet.contribution.ContributionUploads;
import org.openledger.studio.datanet.contribution.ManifestDomain;
import org.openledger.studio.datanet.contribution.UploadState;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.ProgressListener;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.NewDatanet;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.Secret;

/**
 * (a) A Datanet contribution uploaded to the node's registry while the node is killed: in a chunk's transaction, in
 * the transaction that stores the rows, after it and before indexing, or at a random moment. The studio side (a
 * workspace in this JVM, the CLI's upload code) resumes after every restart. Invariants: each contribution on the
 * node once, with exactly its manifest's rows, each row once; no rows of an unfinished upload; SQLite files intact.
 */
final class DatanetUploadCrash {

    // anvil's first account: a published test key
    private static final String KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private static final int ROWS = 60;
    private static final int CHUNK_ROWS = 3;

    private DatanetUploadCrash() {
    }

    static void run(Path dir, String rpcUrl, int points, long seed, CrashTable.Row row) throws Exception {
        KillPlan plan = new KillPlan(seed, List.of(new KillPlan.Hook("registry.chunk", ROWS / CHUNK_ROWS),
                new KillPlan.Hook("registry.complete", 1), new KillPlan.Hook("registry.finished", 1)), 900);
        Path data = dir.resolve("node");
        List<String> args = List.of("--no-model", "--rpc-url", rpcUrl, "--chain-id", "31337");
        ExecutorService client = Executors.newSingleThreadExecutor();
        int life = 0;
        try (Workspace ws = Workspace.open(dir.resolve("workspace.db"));
             PrivateKey key = PrivateKey.parseHex(Secret.of(KEY.toCharArray()))) {
            KeyManifestSigner signer = new KeyManifestSigner(key);
            Datanet d = ws.datanets().create(new NewDatanet("Crash", null, null, null, "CC-BY-4.0",
                    signer.address()));
            ContributionUploads uploads = new ContributionUploads(ws, Clock.systemUTC());
            Long open = null;
            int contributions = 0;
            for (int i = 0; i < points; i++) {
                KillPlan.Point p = plan.next();
                DaemonChild node = DaemonChild.start(dir, data, p.crashAt(), args, false, life++);
                if (i > 0) {
                    row.restarts++;
                }
                if (Kills.haltedAtStart(node, p, dir, row)) {
                    continue;
                }
                HttpRegistryClient registry = new HttpRegistryClient(node.client());
                if (open == null) {
                    Path file = dir.resolve("rows-" + contributions + ".jsonl");
                    SyntheticRows.write(file, ROWS, seed * 1000 + contributions);
                    ws.add(d.id(), List.of(file), signer.address(), new Ingest(), ProgressListener.NONE);
                    RegistryInfo info = registry.info();
                    long id = uploads.prepare(d.id(), signer.address(), BigInteger.valueOf(d.id()),
                            BigInteger.valueOf(1000 + contributions), new ChunkLimits(CHUNK_ROWS, 4L << 20)).uploadId();
                    uploads.sign(id, signer, new ManifestDomain(info.chainId(), info.verifyingContract()));
                    open = id;
                    contributions++;
                }
                long uploadId = open;
                Future<UploadState> sending = client.submit(() -> uploads.upload(uploadId, registry,
                        ProgressListener.NONE, () -> false));
                Kills.land(node, p, sending, Duration.ofSeconds(60), row);
                if (uploads.state(uploadId).stage() == UploadState.Stage.COMPLETE) {
                    open = null;
                }
                Kills.checkFiles(dir, row, p);
            }
            // the last restart: every contribution finishes, then the node stops in order
            DaemonChild node = DaemonChild.start(dir, data, null, args, false, life++);
            row.restarts++;
            HttpRegistryClient registry = new HttpRegistryClient(node.client());
            if (open != null) {
                UploadState s = uploads.upload(open, registry, ProgressListener.NONE, () -> false);
                row.check(s.stage() == UploadState.Stage.COMPLETE, "contribution " + open + " did not finish: " + s);
            }
            List<UploadState> mine = uploads.history(d.id());
            long expected = 0;
            for (UploadState s : mine) {
                row.check(s.stage() == UploadState.Stage.COMPLETE, "contribution " + s.uploadId() + " is "
                        + s.stage());
                expected += s.rows();
            }
            var held = registry.contributions(BigInteger.valueOf(d.id()));
            row.check(held.size() == mine.size(), "the node holds " + held.size() + " contributions, the studio sent "
                    + mine.size());
            node.stop();
            Path db = data.resolve("registry.db");
            long stored = SqliteFiles.number(db, "SELECT COUNT(*) FROM registry_row");
            row.check(stored == expected, "the node stores " + stored + " rows, the manifests hold " + expected);
            long copies = SqliteFiles.number(db, "SELECT COUNT(*) - COUNT(DISTINCT hash) FROM registry_row");
            row.check(copies == 0, copies + " rows stored twice");
            long orphans = SqliteFiles.number(db, "SELECT COUNT(*) FROM registry_row r JOIN upload u ON u.id ="
                    + " r.upload_id WHERE u.state <> 'complete'");
            row.check(orphans == 0, orphans + " rows of unfinished uploads");
            long uploadsOnNode = SqliteFiles.number(db, "SELECT COUNT(*) FROM upload");
            row.check(uploadsOnNode == mine.size(), uploadsOnNode + " uploads opened on the node for " + mine.size()
                    + " contributions");
            long leftChunks = SqliteFiles.number(db, "SELECT COUNT(*) FROM upload_chunk c JOIN upload u ON u.id ="
                    + " c.upload_id WHERE u.state = 'complete'");
            row.check(leftChunks == 0, leftChunks + " chunks kept of finished uploads");
            for (UploadState s : mine) {
                long rows = SqliteFiles.number(db, "SELECT COUNT(*) FROM registry_row WHERE upload_id = '"
                        + s.remoteId().replace("'", "''") + "'");
                row.check(rows == s.rows(), "contribution " + s.uploadId() + ": " + rows + " rows on the node, "
                        + s.rows() + " in its manifest");
            }
        } finally {
            client.shutdownNow();
            client.awaitTermination(30, TimeUnit.SECONDS);
        }
        Kills.checkFiles(dir, row, null);
        row.points = points;
    }
}
