package org.openledger.studio.daemon.finetune;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.finetune.FineTuneCheckpoint;
import org.openledger.studio.api.finetune.FineTuneEstimate;
import org.openledger.studio.api.finetune.FineTuneEvent;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.api.finetune.TrainedRow;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.model.TinyModels;

/**
 * Jobs on Datanet rows with a validation split, evaluation events, checkpoints, resume after a cancel and after the
 * node stopped, and the estimate, over a real socket on a tiny real model. The Datanet rows come through the
 * {@link DatanetRows} seam (the registry's own query is covered where a real registry is started).
 */
class FineTuneLifecycleTest {

    private static final String TOKEN = "fine-tune-lifecycle-token-0123456789";

    @TempDir
    static Path dir;

    private static Node node;
    private static BaseModel base;
    private static NodeClient client;

    /** A Datanet "dn-sea" of 20 rows and an empty "dn-empty". */
    static final DatanetRows REGISTRY = id -> {
        if (id.equals("dn-empty")) {
            return List.of();
        }
        if (!id.equals("dn-sea")) {
            return null;
        }
        List<DatanetRows.Row> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String text = "Row " + i + ": the lighthouse keeper counts " + (i * 7 % 13) + " waves by the sea.";
            rows.add(new DatanetRows.Row(text, new TrainedRow("dn-sea", "up-1", i, "0x" + Integer.toHexString(1000 + i),
                    "0xC0ffee0000000000000000000000000000000001", null)));
        }
        return rows;
    };

    @BeforeAll
    static void start() throws Exception {
        Path model = dir.resolve("tiny-chat");
        TinyModels.chatModel(model, 7);
        base = BaseModel.load(model, ComputeDevice.cpu("test cpu", 8L << 30, 4L << 30), 4, 128);
        Path adapters = dir.resolve("adapters");
        var services = FineTuneServices.add(InferenceServices.of(ServedModels.of(base, adapters, 4), 4), base,
                adapters, dir.resolve("node"), REGISTRY);
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("node"), TOKEN, "t",
                Duration.ofSeconds(5)), "1", services);
        client = new NodeClient(NodeClient.defaultHttp(), node.url(), TOKEN);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static FineTuneRequest onSea(int epochs, String suffix, Integer checkpointEvery) {
        return new FineTuneRequest(base.id(), null, List.of("dn-sea"),
                new FineTuneRequest.Hyperparameters(epochs, 2, 2.0, 0.2, 2, checkpointEvery),
                new FineTuneRequest.Lora(4, null, null, List.of("q_proj", "v_proj")), suffix, 11L);
    }

    static FineTuneJob await(NodeClient c, String id, String... statuses) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(until)) {
            FineTuneJob job = c.fineTuneJob(id);
            if (List.of(statuses).contains(job.status())) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " did not reach " + List.of(statuses) + " in 120 s");
    }

    @Test
    void aJobOnADatanetHoldsRowsOutEvaluatesOnThemAndRecordsEveryRow() throws Exception {
        FineTuneJob created = client.createFineTuneJob(onSea(2, "sea", null));
        assertEquals(List.of("dn-sea"), created.datanets());
        FineTuneJob done = await(client, created.id(), "succeeded", "failed", "cancelled");
        assertEquals("succeeded", done.status(), String.valueOf(done.error()));
        FineTuneJob.Result result = done.result();
        assertEquals(16, result.trainingRows());
        assertEquals(4, result.validationRows());
        assertNotNull(result.validLoss(), "validation loss measured on the held-out rows");
        assertEquals(Math.exp(result.validLoss()), result.validPerplexity(), 1e-6);
        assertEquals(result.totalSteps(), result.steps());

        List<TrainedRow> rows = client.fineTuneRows(created.id()).data();
        assertEquals(20, rows.size());
        assertEquals(4, rows.stream().filter(r -> r.split().equals("validation")).count());
        assertEquals("up-1", rows.get(0).uploadId());

        List<FineTuneEvent> events = client.fineTuneEvents(created.id()).data();
        FineTuneEvent evaluation = events.stream().filter(e -> "evaluation".equals(e.type())).findFirst()
                .orElseThrow(() -> new AssertionError("no evaluation event in " + events));
        assertTrue(evaluation.data().validLoss() > 0 && evaluation.data().validPerplexity() > 1);
        FineTuneEvent metrics = events.stream().filter(e -> "metrics".equals(e.type())).findFirst().orElseThrow();
        assertNotNull(metrics.data().etaSeconds());
        assertTrue(metrics.data().learningRate() > 0);

        List<FineTuneCheckpoint> checkpoints = client.fineTuneCheckpoints(created.id()).data();
        assertFalse(checkpoints.isEmpty());
        assertEquals(result.steps(), checkpoints.get(0).stepNumber(), "newest first, the last step's included");
        assertFalse(checkpoints.get(0).resumable(), "a succeeded job keeps no checkpoint files");
    }

    @Test
    void aCancelledJobResumesFromItsCheckpointAndEndsAsAnUninterruptedRunDoes() throws Exception {
        FineTuneJob reference = await(client, client.createFineTuneJob(onSea(50, "ref", 3)).id(), "succeeded");

        FineTuneJob job = client.createFineTuneJob(onSea(50, "cut", 3));
        // cancel once a checkpoint is in place
        Instant until = Instant.now().plusSeconds(120);
        while (client.fineTuneEvents(job.id()).data().stream().noneMatch(e -> "checkpoint".equals(e.type()))) {
            assertTrue(Instant.now().isBefore(until), "no checkpoint in 120 s");
            Thread.sleep(10);
        }
        client.cancelFineTuneJob(job.id());
        // 50 epochs are far more steps than the few a cancel takes to land after the first checkpoint
        FineTuneJob cancelled = await(client, job.id(), "cancelled", "succeeded");
        assertEquals("cancelled", cancelled.status(), "the cancel landed before the job ended");
        assertEquals(Boolean.TRUE, cancelled.resumable(), cancelled.toString());
        assertTrue(client.fineTuneCheckpoints(job.id()).data().get(0).resumable());

        FineTuneJob resumed = client.resumeFineTuneJob(job.id());
        assertTrue(List.of("queued", "running").contains(resumed.status()));
        FineTuneJob done = await(client, job.id(), "succeeded", "failed");
        assertEquals("succeeded", done.status(), String.valueOf(done.error()));
        assertTrue(client.fineTuneEvents(job.id()).data().stream()
                .anyMatch(e -> e.message().startsWith("Resumed: goes on from step")));

        Adapter a = Adapter.load(dir.resolve("adapters").resolve(reference.fineTunedModel()));
        Adapter b = Adapter.load(dir.resolve("adapters").resolve(done.fineTunedModel()));
        for (java.util.Map.Entry<Adapter.Site, Adapter.Factors> e : a.factors().entrySet()) {
            assertArrayEquals(e.getValue().a().values(), b.factors().get(e.getKey()).a().values(), 1e-5f,
                    e.getKey() + " A");
            assertArrayEquals(e.getValue().b().values(), b.factors().get(e.getKey()).b().values(), 1e-5f,
                    e.getKey() + " B");
        }
        assertEquals(reference.result().validLoss(), done.result().validLoss(), 1e-5);
        assertEquals(reference.result().steps(), done.result().steps());
        assertEquals(reference.trainedTokens(), done.trainedTokens());
        assertTrue(Files.isRegularFile(dir.resolve("adapters").resolve(done.fineTunedModel())
                .resolve("adapter_model.safetensors")));

        NodeClientException again = assertThrows(NodeClientException.class,
                () -> client.resumeFineTuneJob(done.id()));
        assertEquals(400, again.status());
    }

    @Test
    void aJobRunningWhenTheNodeStopsGoesOnFromItsCheckpointAtTheNextStart(@TempDir Path data) throws Exception {
        Path adapters = dir.resolve("adapters");
        String id;
        try (FineTuneJobs jobs = FineTuneJobs.open(base, adapters, data, REGISTRY)) {
            id = jobs.create(onSea(8, "restart", 2)).id();
            Instant until = Instant.now().plusSeconds(120);
            while (jobs.events(id).stream().noneMatch(e -> "checkpoint".equals(e.type()))) {
                assertTrue(Instant.now().isBefore(until), "no checkpoint in 120 s");
                Thread.sleep(5);
            }
        } // the node stops mid-job
        try (FineTuneJobs jobs = FineTuneJobs.open(base, adapters, data, REGISTRY)) {
            Instant until = Instant.now().plusSeconds(120);
            while (!jobs.get(id).finished()) {
                assertTrue(Instant.now().isBefore(until), "not finished in 120 s");
                Thread.sleep(20);
            }
            FineTuneJob done = jobs.get(id);
            assertEquals("succeeded", done.status(), String.valueOf(done.error()));
            assertTrue(jobs.events(id).stream().anyMatch(e -> e.message().contains("goes on from step")),
                    jobs.events(id).toString());
            assertEquals(20, jobs.rows(id).size(), "the rows survive the restart");
            assertTrue(Files.isDirectory(adapters.resolve(done.fineTunedModel())));
        }
    }

    @Test
    void theEstimateSaysStepsTokensTimeAndMemoryBeforeAnythingIsQueued() {
        int before = client.fineTuneJobs().data().size();
        FineTuneEstimate e = client.estimateFineTune(onSea(2, null, null));
        assertEquals(20, e.documents());
        assertEquals(16, e.trainingRows());
        assertEquals(4, e.validationRows());
        assertTrue(e.steps() > 0 && e.trainingTokens() > 0);
        assertEquals(2L * 4 * (64 + 64) + 2L * 4 * (64 + 16), e.trainableParameters(),
                "r=4 on q (64x64) and v (16x64) in 2 layers");
        assertTrue(e.memoryBytes() > base.config().parameterCount() * 4);
        if (e.tokensPerSecond() != null) {
            assertTrue(e.seconds() > 0);
            assertTrue(List.of("measured", "probe").contains(e.speedSource()));
        }
        assertEquals(before, client.fineTuneJobs().data().size(), "an estimate queues nothing");
    }

    @Test
    void badDataIsRefusedNamingTheParameter() {
        assertEquals("datanets", refused(new FineTuneRequest(base.id(), null, List.of("dn-empty"), null, null,
                null, null)));
        assertEquals("datanets", refused(new FineTuneRequest(base.id(), null, List.of("dn-unknown"), null, null,
                null, null)));
        assertEquals("datanets", refused(new FineTuneRequest(base.id(), null, List.of("../etc"), null, null,
                null, null)));
        assertEquals("datanets", refused(new FineTuneRequest(base.id(), "some text", List.of("dn-sea"), null, null,
                null, null)));
        assertEquals("hyperparameters.validation_split", refused(new FineTuneRequest(base.id(), null,
                List.of("dn-sea"), new FineTuneRequest.Hyperparameters(1, 2, 1.0, 0.9, null, null), null, null,
                null)));
        assertEquals("hyperparameters.eval_every", refused(new FineTuneRequest(base.id(), null,
                List.of("dn-sea"), new FineTuneRequest.Hyperparameters(1, 2, 1.0, 0.1, 0, null), null, null, null)));
        assertEquals(404, assertThrows(NodeClientException.class,
                () -> client.resumeFineTuneJob("ftjob-nope")).status());
        assertEquals(404, assertThrows(NodeClientException.class,
                () -> client.fineTuneCheckpoints("ftjob-nope")).status());
    }

    private static String refused(FineTuneRequest request) {
        NodeClientException e = assertThrows(NodeClientException.class, () -> client.createFineTuneJob(request));
        assertEquals(400, e.status(), e.getMessage());
        return e.error().error().param();
    }
}
