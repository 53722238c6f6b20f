package org.openledger.studio.daemon.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.datanet.node.HttpRegistryClient;
import org.openledger.studio.api.registry.UploadStatus;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.datanet.contribution.ChunkLimits;
import org.openledger.studio.datanet.contribution.ContributionUploads;
import org.openledger.studio.datanet.contribution.ManifestDomain;
import org.openledger.studio.datanet.contribution.PreparedContribution;
import org.openledger.studio.datanet.contribution.UploadState;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.ProgressListener;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.NewDatanet;
import org.openledger.studio.datanet.workspace.Workspace;
import org.web3j.crypto.ECKeyPair;

/**
 * Upload staging in the registry expires: the chunks of an upload left for a day are dropped, a finished upload is
 * never touched, and the sender resumes the expired upload by sending its chunks again (a real node, the studio's
 * upload engine, the registry's clock moved by the test).
 */
class RegistryExpiryTest {

    private static final String TOKEN = "registry-expiry-token-0123456789";
    private static final ManifestDomain DOMAIN = new ManifestDomain(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");

    @TempDir
    Path dir;

    /** A clock the test moves on. */
    private static final class MovedClock extends Clock {
        final AtomicLong millis = new AtomicLong(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());

        void add(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    @Test
    void anUploadLeftForADayLosesItsChunksAndIsResumedBySendingThemAgain() throws Exception {
        RegistryApiTest.KeySigner signer = new RegistryApiTest.KeySigner(ECKeyPair.create(BigInteger.valueOf(0xBEEF77L)));
        MovedClock clock = new MovedClock();
        try (Workspace workspace = Workspace.open(dir.resolve("studio/workspace.db"))) {
            Datanet d = workspace.datanets().create(new NewDatanet("rivers", "", "", List.of(), "CC-BY-4.0",
                    signer.address()));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                sb.append("{\"text\": \"Row ").append(i).append(" tells of river ").append(i * 7919)
                        .append(" and the mill that stood on it in year ").append(1300 + i).append("\"}\n");
            }
            Path file = Files.writeString(dir.resolve("rivers.jsonl"), sb.toString(), StandardCharsets.UTF_8);
            workspace.add(d.id(), List.of(file), signer.address(), new Ingest(), ProgressListener.NONE);
            ContributionUploads uploads = new ContributionUploads(workspace, Clock.systemUTC());
            PreparedContribution p = uploads.prepare(d.id(), signer.address(), BigInteger.valueOf(3), BigInteger.ONE,
                    new ChunkLimits(3, 1 << 20));
            uploads.sign(p.uploadId(), signer, DOMAIN);

            DatanetRegistry registry = new DatanetRegistry(RegistryStore.open(dir.resolve("node")), DOMAIN, clock);
            Node node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("node"), TOKEN, "t",
                    Duration.ofSeconds(2)), "test", RegistryService.addTo(NodeServices.none(), registry));
            try {
                HttpRegistryClient client = new HttpRegistryClient(new NodeClient(NodeClient.defaultHttp(), node.url(),
                        TOKEN));
                AtomicInteger sent = new AtomicInteger();
                UploadState paused = uploads.upload(p.uploadId(), client, (n, t) -> sent.set((int) n),
                        () -> sent.get() >= 1);
                String remote = paused.remoteId();
                assertEquals(List.of(0), registry.status(remote).receivedChunks());
                long staged = registry.stagedBytes();
                assertTrue(staged > 0);

                clock.add(Duration.ofHours(23));
                assertEquals(0, registry.expireAbandoned(RegistryService.ABANDONED_UPLOAD), "not a day yet");
                assertEquals(List.of(0), registry.status(remote).receivedChunks());

                clock.add(Duration.ofHours(2));
                assertEquals(1, registry.expireAbandoned(RegistryService.ABANDONED_UPLOAD));
                UploadStatus expired = registry.status(remote);
                assertEquals("expired", expired.state());
                assertEquals(List.of(), expired.receivedChunks());
                assertEquals(0, registry.stagedBytes(), "the chunks' bytes are gone from registry.db");

                // the sender comes back: the node holds nothing, so every chunk goes again, and the upload finishes
                UploadState done = uploads.upload(p.uploadId(), client, ProgressListener.NONE, () -> false);
                assertEquals(UploadState.Stage.COMPLETE, done.stage());
                assertEquals(remote, done.remoteId(), "the same upload, not a second one");
                assertEquals("complete", registry.status(remote).state());
                assertEquals(6, registry.status(remote).rows());

                clock.add(Duration.ofDays(30));
                assertEquals(0, registry.expireAbandoned(RegistryService.ABANDONED_UPLOAD), "finished ones stay");
                assertEquals(6, registry.trainingRows(registry.status(remote).datanetId()).size());
            } finally {
                node.close();
            }
        }
    }
}
