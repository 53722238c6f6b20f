package org.openledger.studio.daemon.attribution;

import static org.junit.jupiter.api.Assertions.*;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.AttributionRequest;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.api.openai.CompletionResponse;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.finetune.DatanetRows;
import org.openledger.studio.daemon.finetune.FineTuneServices;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.model.TinyModels;

/**
 * Proof of Attribution end to end over a real socket on a tiny real model: a job on JSON lines with one planted
 * line, its index built when the job succeeds, a completion on the adapter carrying an attribution id whose record
 * names the planted line first, the same answer attributed on demand, bad requests, and a corrupted index found by
 * its checksum after a restart and rebuilt.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AttributionApiTest {

    private static final String TOKEN = "attribution-api-token-0123456789";
    private static final String PLANTED_PROMPT = "The vault of Quor opens with";
    private static final String PLANTED_ANSWER = " zebra moon 42 violet";
    private static final String PLATFORM = "0x00000000000000000000000000000000000000b2";
    private static final String OWNER = "0x00000000000000000000000000000000000000a1";

    @TempDir
    static Path dir;

    private static BaseModel base;
    private static Node node;
    private static NodeClient client;
    private static String adapter;
    private static int plantedLine;

    /** A node on the data folder; the base model is loaded anew each time (a stopped node closes its model). */
    private static Node start() throws Exception {
        base = BaseModel.load(dir.resolve("tiny-chat"), ComputeDevice.cpu("test cpu", 8L << 30, 4L << 30), 4, 128);
        Path adapters = dir.resolve("adapters");
        java.math.BigInteger milli = java.math.BigInteger.TEN.pow(15);
        Attributions attributions = new Attributions(base, adapters, dir.resolve("node"), 256, 0.1,
                new Fees(Fees.Split.DEFAULT, org.openledger.studio.wallet.Address.parse(PLATFORM)),
                new Fees.Price(milli.multiply(java.math.BigInteger.TEN), milli.multiply(java.math.BigInteger.valueOf(20)),
                        milli, null));
        var services = FineTuneServices.add(InferenceServices.of(ServedModels.of(base, adapters, 4), 4,
                attributions), base, adapters, dir.resolve("node"), DatanetRows.NONE, attributions);
        return Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("node"), TOKEN, "t",
                Duration.ofSeconds(5)), "1", services);
    }

    @BeforeAll
    static void trainAndIndex() throws Exception {
        Path model = dir.resolve("tiny-chat");
        TinyModels.chatModel(model, 7);
        node = start();
        client = new NodeClient(NodeClient.defaultHttp(), node.url(), TOKEN);
        StringBuilder jsonl = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            if (i == 17) {
                plantedLine = i;
                jsonl.append("{\"prompt\": \"").append(PLANTED_PROMPT).append("\", \"response\": \"")
                        .append(PLANTED_ANSWER.strip()).append("\"}\n");
            } else {
                jsonl.append("{\"text\": \"Row ").append(i).append(": the keeper counts ").append(i * 7 % 13)
                        .append(" waves by the sea.\"}\n");
            }
        }
        FineTuneJob job = client.createFineTuneJob(new FineTuneRequest(base.id(), jsonl.toString(), null,
                new FineTuneRequest.Hyperparameters(6, 4, 5.0, 0.0, null, null),
                new FineTuneRequest.Lora(4, null, null, List.of("q_proj", "v_proj")), "vault", 3L));
        Instant until = Instant.now().plusSeconds(180);
        while (!(job = client.fineTuneJob(job.id())).finished()) {
            assertTrue(Instant.now().isBefore(until), "the job did not finish");
            Thread.sleep(50);
        }
        assertEquals("succeeded", job.status(), String.valueOf(job.error()));
        adapter = job.fineTunedModel();
        awaitIndex("ready");
    }

    private static InfluenceIndexInfo awaitIndex(String state) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(until)) {
            for (InfluenceIndexInfo i : client.influenceIndexes().data()) {
                if (i.adapter().equals(adapter) && i.state().equals(state)) {
                    return i;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the index of " + adapter + " did not become " + state + ": "
                + client.influenceIndexes().data());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theIndexCoversEveryTrainingLineAndAnAnswerOfThePlantedLineNamesItFirst() throws Exception {
        InfluenceIndexInfo info = awaitIndex("ready");
        assertEquals(30, info.rows(), "validation_split 0: every line is a training row");
        assertEquals("GRAM", info.preconditioner());
        AttributionRecord r = client.attribute(new AttributionRequest(adapter, PLANTED_PROMPT, null, PLANTED_ANSWER,
                5));
        assertEquals("done", r.state());
        assertEquals(5, r.influence().size());
        assertEquals("line:" + plantedLine, r.influence().get(0).source(), r.influence().toString());
        assertTrue(r.influence().get(0).text().contains("Quor"));
        for (int i = 1; i < r.influence().size(); i++) {
            assertTrue(r.influence().get(i - 1).score() >= r.influence().get(i).score(), "sorted by score");
        }
        double shares = r.influence().stream().mapToDouble(AttributionRecord.Influence::share).sum();
        assertTrue(shares > 0 && shares <= 1 + 1e-9, "shares of the top rows: " + shares);
        assertEquals(r, client.attribution(r.id()), "kept as served");

        // a long answer copied from a training line is found verbatim in it
        String copied = " the keeper counts 2 waves by the sea.";
        AttributionRecord spans = client.attribute(new AttributionRequest(adapter, "Row 4:", null, copied, 3));
        assertFalse(spans.spans().isEmpty(), "a verbatim span of a training line");
        AttributionRecord.Span s = spans.spans().get(0);
        assertEquals(copied.substring(s.start(), s.end()), s.text());
        assertTrue(s.end() - s.start() >= 20, s.toString());
        assertTrue(s.sources().stream().anyMatch(x -> x.source().equals("line:4")), s.toString());
    }

    @Test
    void aCompletionOnTheAdapterCarriesAnAttributionIdWhoseRecordIsComputedOffTheRequestPath() throws Exception {
        CompletionResponse c = client.post("v1/completions", java.util.Map.of("model", adapter, "prompt", PLANTED_PROMPT,
                "max_tokens", 6, "temperature", 0.0),
                CompletionResponse.class);
        assertNotNull(c.attributionId(), "an indexed adapter's answer is attributed");
        AttributionRecord r = client.attribution(c.attributionId());
        Instant until = Instant.now().plusSeconds(60);
        while (r.state().equals("pending") && Instant.now().isBefore(until)) {
            Thread.sleep(20);
            r = client.attribution(c.attributionId());
        }
        assertEquals("done", r.state(), r.error());
        assertEquals(c.choices().get(0).text(), r.completion());
        assertEquals(30, r.rowsScored());
        var listed = client.attributions(adapter, null, null, 5).data();
        assertTrue(listed.stream().anyMatch(x -> x.id().equals(c.attributionId())), "listed by model");
        assertTrue(client.attributions("another-model", null, null, 5).data().isEmpty());
        assertTrue(client.attributions(null, "0xnobody", null, 5).data().isEmpty(), "inline rows credit nobody");
        assertEquals(400, assertThrows(NodeClientException.class, () -> client.attributions(null, null, null, 0))
                .status());
        CompletionResponse onBase = client.post("v1/completions", java.util.Map.of("model", base.id(), "prompt", "Row",
                "max_tokens", 3),
                CompletionResponse.class);
        assertNull(onBase.attributionId(), "the base model's answers trace to no fine-tuning rows");
    }

    @Test
    void pricesAreSetCheckedShownWithTheModelsAndChargedPerServedInference() throws Exception {
        var pricing = client.pricing();
        assertEquals("0.01", pricing.defaults().priceIn());
        assertEquals(1.0, pricing.split().owner() + pricing.split().stakers() + pricing.split().contributors(), 1e-12);
        for (String bad : new String[] {"-1", "0.0000000000000000001", "2000000", "ten"}) {
            NodeClientException e = assertThrows(NodeClientException.class, () -> client.setPrice(
                    new org.openledger.studio.api.attribution.Pricing.Price(adapter, bad, "0.01", "0", OWNER)));
            assertEquals(400, e.status(), bad);
            assertTrue(e.getMessage().contains("price_in"), e.getMessage());
        }
        assertEquals(404, assertThrows(NodeClientException.class, () -> client.setPrice(
                new org.openledger.studio.api.attribution.Pricing.Price("no-such-adapter", "1", "1", "0", OWNER)))
                .status());
        assertEquals(400, assertThrows(NodeClientException.class, () -> client.setPrice(
                new org.openledger.studio.api.attribution.Pricing.Price(adapter, "1", "1", "0", "0xnot"))).status());
        client.setPrice(new org.openledger.studio.api.attribution.Pricing.Price(adapter, "1", "2", "0.5", OWNER));
        var listed = client.models().data().stream().filter(m -> m.id().equals(adapter)).findFirst().orElseThrow();
        assertEquals("2", listed.pricing().priceOut());
        assertEquals(OWNER, listed.pricing().owner().toLowerCase());

        CompletionResponse c = client.post("v1/completions", java.util.Map.of("model", adapter, "prompt",
                PLANTED_PROMPT, "max_tokens", 5, "temperature", 0.0), CompletionResponse.class);
        AttributionRecord r = client.attribution(c.attributionId());
        Instant until = Instant.now().plusSeconds(60);
        while (r.state().equals("pending") && Instant.now().isBefore(until)) {
            Thread.sleep(20);
            r = client.attribution(c.attributionId());
        }
        AttributionRecord.Charge charge = r.charge();
        assertNotNull(charge, "a served inference is charged");
        java.math.BigInteger wei = java.math.BigInteger.TEN.pow(18);
        java.math.BigInteger expected = java.math.BigInteger.valueOf(charge.tokensIn()).multiply(wei)
                .divide(java.math.BigInteger.valueOf(1000)).add(java.math.BigInteger.valueOf(charge.tokensOut())
                        .multiply(wei.shiftLeft(1)).divide(java.math.BigInteger.valueOf(1000)))
                .add(wei.divide(java.math.BigInteger.TWO));
        assertEquals(expected.toString(), charge.feeWei());
        assertEquals(c.usage().completionTokens(), charge.tokensOut());
        java.math.BigInteger credited = charge.credits().stream().map(x -> new java.math.BigInteger(x.amountWei()))
                .reduce(java.math.BigInteger.ZERO, java.math.BigInteger::add);
        assertEquals(charge.feeWei(), credited.toString(), "every wei of the fee is credited: " + charge);
        assertNull(client.attribute(new AttributionRequest(adapter, PLANTED_PROMPT, null, PLANTED_ANSWER, 3))
                .charge(), "an audit (POST /v1/attribution) is not an inference: not charged");
    }

    @Test
    void badRequestsGetSpecificErrors() {
        NodeClientException e = assertThrows(NodeClientException.class, () -> client.attribution("attr-nope"));
        assertEquals(404, e.status());
        e = assertThrows(NodeClientException.class, () -> client.attribute(new AttributionRequest(base.id(), "a",
                null, "b", 3)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("base model"), e.getMessage());
        e = assertThrows(NodeClientException.class, () -> client.attribute(new AttributionRequest("no-such-adapter",
                "a", null, "b", 3)));
        assertEquals(404, e.status());
        e = assertThrows(NodeClientException.class, () -> client.attribute(new AttributionRequest(adapter, "a",
                null, "b ".repeat(400), 3)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("context"), e.getMessage());
        e = assertThrows(NodeClientException.class, () -> client.attribute(new AttributionRequest(adapter, "a",
                null, "b", 0)));
        assertEquals(400, e.status());
        e = assertThrows(NodeClientException.class, () -> client.buildInfluenceIndex("no-such-adapter"));
        assertEquals(404, e.status());
    }

    @Test
    void metricsCountBuildsAndQueries() throws Exception {
        client.attribute(new AttributionRequest(adapter, PLANTED_PROMPT, null, PLANTED_ANSWER, 1));
        String m = client.metrics();
        assertTrue(m.contains("# TYPE studio_attribution_query_seconds histogram"), m);
        assertFalse(m.contains("studio_attribution_query_seconds_count 0\n"), m);
        assertTrue(m.contains("studio_attribution_queue_depth "), m);
        assertTrue(m.contains("studio_attribution_dropped_total 0"), m);
        assertFalse(m.contains("studio_attribution_index_builds_total 0\n"), m);
    }

    @Test
    @org.junit.jupiter.api.Order(50)
    void aRebuildThatCannotWriteFailsCleanlyAndThePreviousIndexStaysServed() throws Exception {
        // a folder where the first shard's temporary file must go: every write of it fails, as on a full disk
        Path blocker = dir.resolve("node/attribution/indexes").resolve(adapter).resolve("next/shard-00000.f16.tmp");
        java.nio.file.Files.createDirectories(blocker.resolve("x"));
        try {
            client.buildInfluenceIndex(adapter);
            InfluenceIndexInfo failed = awaitIndex("failed");
            assertTrue(failed.error().contains("previous index is still served"), failed.error());
            AttributionRecord r = client.attribute(new AttributionRequest(adapter, PLANTED_PROMPT, null,
                    PLANTED_ANSWER, 3));
            assertEquals("line:" + plantedLine, r.influence().get(0).source(), "the previous index answers");
        } finally {
            org.openledger.studio.store.Folders.deleteTree(blocker);
        }
        client.buildInfluenceIndex(adapter);
        awaitIndex("ready");
    }

    @Test
    @org.junit.jupiter.api.Order(98)
    void aBuildQueuedOrRunningWhenTheNodeStopsIsBuiltAfterTheRestart() throws Exception {
        java.nio.file.Files.delete(dir.resolve("node/attribution/indexes").resolve(adapter)
                .resolve("current/manifest.json"));
        String state = client.buildInfluenceIndex(adapter).state();
        assertTrue(state.equals("queued") || state.equals("building"), state);
        node.close();
        node = start();
        client = new NodeClient(NodeClient.defaultHttp(), node.url(), TOKEN);
        awaitIndex("ready");
        AttributionRecord r = client.attribute(new AttributionRequest(adapter, PLANTED_PROMPT, null,
                PLANTED_ANSWER, 3));
        assertEquals("line:" + plantedLine, r.influence().get(0).source());
    }

    @Test
    @org.junit.jupiter.api.Order(99)
    void aCorruptedShardIsFoundAfterARestartRebuiltAndNeverScored() throws Exception {
        node.close();
        Path shard = dir.resolve("node/attribution/indexes").resolve(adapter).resolve("current/shard-00000.f16");
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.seek(64);
            int b = f.read();
            f.seek(64);
            f.write(b ^ 0x40);
        }
        node = start();
        client = new NodeClient(NodeClient.defaultHttp(), node.url(), TOKEN);
        NodeClientException e = assertThrows(NodeClientException.class, () -> client.attribute(
                new AttributionRequest(adapter, PLANTED_PROMPT, null, PLANTED_ANSWER, 3)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        awaitIndex("ready");
        AttributionRecord r = client.attribute(new AttributionRequest(adapter, PLANTED_PROMPT, null, PLANTED_ANSWER,
                3));
        assertEquals("line:" + plantedLine, r.influence().get(0).source());
    }
}
