package org.openledger.studio.app.attribution;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.attribution.AttributionRequest;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.app.StudioDaemon;

/**
 * An influence index build killed with SIGKILL part-way (after its first shard of 2,048 rows) is resumed when the node
 * starts again: the complete shard is kept as it was, the index becomes ready with every row, and it answers.
 */
class AttributionCrashTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private StudioDaemon daemon() throws Exception {
        return StudioDaemon.in(dir).token(dir.resolve("token"), TOKEN).jvm("-Dstudio.log.level=WARN", "-Xmx1g")
                .startWithChain(120);
    }

    @Test
    void aBuildKilledMidwayGoesOnFromItsCompleteShardsAfterTheRestart() throws Exception {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        StringBuilder jsonl = new StringBuilder();
        for (int i = 1; i <= 3000; i++) {
            jsonl.append("{\"text\": \"Row ").append(i).append(" counts ").append(i * 7 % 13).append(" gulls.\"}\n");
        }
        StudioDaemon node = daemon();
        try {
            NodeClient c = node.client();
            FineTuneJob job = c.createFineTuneJob(new FineTuneRequest(null, jsonl.toString(), null,
                    new FineTuneRequest.Hyperparameters(1, 16, 1.0, 0.0, null, null), null, "gulls", 3L));
            Instant until = Instant.now().plusSeconds(300);
            while (!(job = c.fineTuneJob(job.id())).finished()) {
                assertTrue(Instant.now().isBefore(until), "the job did not finish");
                Thread.sleep(100);
            }
            assertEquals("succeeded", job.status(), String.valueOf(job.error()));
            String adapter = job.fineTunedModel();
            Path shard = dir.resolve("node/attribution/indexes").resolve(adapter).resolve("next/shard-00000.f16");
            while (!Files.exists(shard)) {
                assertTrue(Instant.now().isBefore(until), "no first shard");
                Thread.sleep(20);
            }
            node.process().destroyForcibly(); // SIGKILL while the second shard is being computed
            assertTrue(node.process().waitFor(30, TimeUnit.SECONDS));
            assertFalse(Files.exists(shard.resolveSibling("manifest.json")), "killed before the build finished");
            byte[] first = Files.readAllBytes(shard);
            long written = Files.getLastModifiedTime(shard).toMillis();

            node = daemon();
            c = node.client();
            InfluenceIndexInfo info = null;
            until = Instant.now().plusSeconds(300);
            while (info == null || !info.state().equals("ready")) {
                assertTrue(Instant.now().isBefore(until), "not resumed: " + info);
                Thread.sleep(100);
                info = c.influenceIndexes().data().stream().filter(i -> i.adapter().equals(adapter)).findFirst()
                        .orElse(null);
                assertNotEquals("failed", info == null ? "" : info.state(), String.valueOf(info));
            }
            assertEquals(3000, info.rows());
            Path served = dir.resolve("node/attribution/indexes").resolve(adapter).resolve("current/shard-00000.f16");
            assertArrayEquals(first, Files.readAllBytes(served), "the complete shard was kept, not computed again");
            assertEquals(written, Files.getLastModifiedTime(served).toMillis());
            var r = c.attribute(new AttributionRequest(adapter, "Row 2999 counts", null, " 9 gulls.", 3));
            assertEquals("done", r.state());
            assertEquals(3000, r.rowsScored());
        } finally {
            node.close();
        }
    }
}
