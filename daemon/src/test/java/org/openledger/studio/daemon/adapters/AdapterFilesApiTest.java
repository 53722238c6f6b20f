package org.openledger.studio.daemon.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.finetune.AdapterFiles;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.lora.TinyAdapters;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.TinyModels;

/** {@code /v1/adapters}: pull an adapter's files and push them to a node, over a real socket on a tiny real model. */
class AdapterFilesApiTest {

    private static final String TOKEN = "adapter-files-test-token-0123456789";
    private static final MediaType JSON = MediaType.get("application/json");

    @TempDir
    static Path dir;

    private static Node node;
    private static String baseId;
    private static ModelConfig config;
    private static Path adapters;
    private static NodeClient client;
    private static final OkHttpClient http = NodeClient.defaultHttp();

    @BeforeAll
    static void start() throws Exception {
        Path model = dir.resolve("tiny-chat");
        config = TinyModels.chatModel(model, 7);
        adapters = dir.resolve("adapters");
        TinyAdapters.random("strong", config, 4, 8, EnumSet.of(Projection.Q, Projection.V), false, 3, false)
                .save(adapters.resolve("strong"));
        Files.writeString(adapters.resolve("strong").resolve("README.md"), "# strong\nA random adapter.\n");
        BaseModel base = BaseModel.load(model, ComputeDevice.cpu("test cpu", 8L << 30, 4L << 30), 4, 128);
        baseId = base.id();
        Files.writeString(dir.resolve("secret.txt"), "not for clients");
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("node"), TOKEN, "t",
                Duration.ofSeconds(5)), "1", InferenceServices.of(ServedModels.of(base, adapters, 4), 4));
        client = new NodeClient(http, node.url(), TOKEN);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static AdapterFiles.File file(String name, byte[] bytes) throws Exception {
        return new AdapterFiles.File(name, bytes.length, sha256(bytes));
    }

    /** Status line and body of a request written by hand, so that no client normalises the path first. */
    private static String raw(String method, String path) throws Exception {
        try (Socket s = new Socket(node.url().getHost(), node.url().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int status(NodeClientException e) {
        return e.status();
    }

    private static List<String> modelIds() {
        List<String> ids = new ArrayList<>();
        client.models().data().forEach(m -> ids.add(m.id()));
        return ids;
    }

    private static JsonNode greedy(String model) throws Exception {
        ObjectNode body = Wire.mapper().createObjectNode();
        body.put("model", model);
        body.put("prompt", "The cat sat on");
        body.put("max_tokens", 8);
        body.put("temperature", 0);
        body.put("seed", 11);
        body.put("logprobs", 1);
        try (Response r = http.newCall(new Request.Builder().url(node.url() + "/v1/completions")
                .header("Authorization", "Bearer " + TOKEN)
                .post(RequestBody.create(Wire.mapper().writeValueAsString(body), JSON)).build()).execute()) {
            String text = r.body().string();
            assertEquals(200, r.code(), text);
            return Wire.mapper().readTree(text).path("choices").get(0);
        }
    }

    @Test
    void aServedAdapterIsListedWithEveryFileAndItsHashAndSentAsBytes() throws Exception {
        AdapterFiles files = client.adapterFiles("strong");
        assertEquals("strong", files.id());
        assertEquals("served", files.state());
        assertEquals(baseId, files.baseModel());
        assertEquals(List.of("README.md", "adapter_config.json", "adapter_model.safetensors"),
                files.files().stream().map(AdapterFiles.File::name).toList());
        for (AdapterFiles.File f : files.files()) {
            byte[] onDisk = Files.readAllBytes(adapters.resolve("strong").resolve(f.name()));
            assertEquals(onDisk.length, f.bytes(), f.name());
            assertEquals(sha256(onDisk), f.sha256(), f.name());
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            client.downloadAdapterFile("strong", f.name(), got);
            assertEquals(sha256(onDisk), sha256(got.toByteArray()), f.name());
        }
        try (Response r = http.newCall(new Request.Builder()
                .url(node.url() + "/v1/adapters/strong/files/adapter_model.safetensors")
                .header("Authorization", "Bearer " + TOKEN).build()).execute()) {
            assertEquals("application/octet-stream", r.header("Content-Type"));
            assertEquals(String.valueOf(Files.size(adapters.resolve("strong/adapter_model.safetensors"))),
                    r.header("Content-Length"));
        }

        NodeClientException unknown = assertThrows(NodeClientException.class, () -> client.adapterFiles("nope"));
        assertEquals(404, status(unknown));
        assertEquals("not_found", unknown.error().error().code());
        NodeClientException noFile = assertThrows(NodeClientException.class,
                () -> client.downloadAdapterFile("strong", "model.bin", new ByteArrayOutputStream()));
        assertEquals(404, status(noFile));
    }

    @Test
    void traversalAndHiddenNamesAreRefused() throws Exception {
        for (String path : List.of("/v1/adapters/%2E%2E", "/v1/adapters/.strong", "/v1/adapters/%2E%2E/files/secret.txt",
                "/v1/adapters/strong/files/%2E%2E", "/v1/adapters/strong/files/.hidden",
                "/v1/adapters/.x.receiving")) {
            String answer = raw("GET", path);
            assertTrue(answer.startsWith("HTTP/1.1 400"), path + " -> " + answer);
            assertTrue(answer.contains("\"error\""), answer);
        }
        // a slash inside a name never reaches the adapter folder: the path no longer matches a route
        String slash = raw("GET", "/v1/adapters/strong/files/..%2F..%2Fsecret.txt");
        assertTrue(slash.startsWith("HTTP/1.1 4"), slash);
        assertFalse(slash.contains("not for clients"), slash);
        assertTrue(raw("PUT", "/v1/adapters/%2E%2E/files/adapter_config.json?sha256=" + "0".repeat(64))
                .startsWith("HTTP/1.1 400"));
        assertTrue(raw("PUT", "/v1/adapters/fresh/files/.hidden?sha256=" + "0".repeat(64))
                .startsWith("HTTP/1.1 400"));
        assertFalse(Files.exists(adapters.resolve(".fresh.receiving").resolve("fresh").resolve(".hidden")));
    }

    @Test
    void aBodyWhoseHashDiffersIsRefusedAndNothingIsKept() throws Exception {
        byte[] bytes = "{\"r\": 4}".getBytes(StandardCharsets.UTF_8);
        NodeClientException e = assertThrows(NodeClientException.class,
                () -> client.uploadAdapterFile("tampered", "adapter_config.json", bytes, "ab".repeat(32)));
        assertEquals(400, status(e));
        assertEquals("sha256", e.error().error().param());
        assertTrue(e.getMessage().contains("nothing was kept"), e.getMessage());
        Path receiving = adapters.resolve(".tampered.receiving");
        try (var s = Files.walk(receiving)) {
            assertTrue(s.noneMatch(Files::isRegularFile), "nothing kept in " + receiving);
        }
        NodeClientException badHash = assertThrows(NodeClientException.class,
                () -> client.uploadAdapterFile("tampered", "adapter_config.json", bytes, "not-a-hash"));
        assertEquals(400, status(badHash));
        assertFalse(modelIds().contains("tampered"));
    }

    @Test
    void aCommitWithAMissingFileIsRefused() throws Exception {
        Path src = dir.resolve("src-missing");
        TinyAdapters.random("x", config, 4, 8, EnumSet.of(Projection.Q), false, 9, false).save(src);
        byte[] cfg = Files.readAllBytes(src.resolve(AdapterConfig.FILE));
        byte[] weights = Files.readAllBytes(src.resolve(Adapter.WEIGHTS_FILE));
        AdapterFiles up = client.uploadAdapterFile("partial", AdapterConfig.FILE, cfg, sha256(cfg));
        assertEquals("receiving", up.state());
        assertEquals(1, up.files().size());
        AdapterFiles listed = new AdapterFiles("partial", "adapter", baseId, null,
                List.of(file(AdapterConfig.FILE, cfg), file(Adapter.WEIGHTS_FILE, weights)));
        NodeClientException e = assertThrows(NodeClientException.class, () -> client.commitAdapter(listed));
        assertEquals(400, status(e));
        assertTrue(e.getMessage().contains("adapter_model.safetensors' has not arrived"), e.getMessage());
        assertFalse(modelIds().contains("partial"));

        // a commit that lists a size the file did not arrive with is refused too
        client.uploadAdapterFile("partial", Adapter.WEIGHTS_FILE, weights, sha256(weights));
        AdapterFiles wrongSize = new AdapterFiles("partial", "adapter", baseId, null, List.of(file(AdapterConfig.FILE,
                cfg), new AdapterFiles.File(Adapter.WEIGHTS_FILE, weights.length + 1, sha256(weights))));
        assertEquals(400, status(assertThrows(NodeClientException.class, () -> client.commitAdapter(wrongSize))));
        // without the weights in the list it is no PEFT adapter
        AdapterFiles configOnly = new AdapterFiles("partial", "adapter", baseId, null,
                List.of(file(AdapterConfig.FILE, cfg)));
        assertEquals(400, status(assertThrows(NodeClientException.class, () -> client.commitAdapter(configOnly))));
        // once everything is there it is served
        assertEquals("served", client.commitAdapter(listed).state());
        assertTrue(modelIds().contains("partial"));
    }

    @Test
    void anAdapterForAnotherBaseIsRefusedAndNotServed() throws Exception {
        Adapter random = TinyAdapters.random("other", config, 4, 8, EnumSet.of(Projection.Q), false, 5, false);
        Adapter named = new Adapter("other", new AdapterConfig(4, 8, EnumSet.of(Projection.Q), false,
                "someone/other-base"), random.factors());
        String message = push("other-named", named);
        assertTrue(message.contains("trained on base model 'someone/other-base'"), message);

        ModelConfig wider = ModelConfig.llama(32, 48, 2, 4, 2, 300, 128);
        String shapes = push("other-shapes", TinyAdapters.random("w", wider, 4, 8, EnumSet.of(Projection.Q), false,
                6, false));
        assertTrue(shapes.contains("do not fit the base weight"), shapes);

        for (String id : List.of("other-named", "other-shapes")) {
            assertFalse(modelIds().contains(id), id);
            assertFalse(Files.exists(adapters.resolve(id)), id);
            assertFalse(Files.exists(adapters.resolve("." + id + ".receiving")), "receiving folder removed: " + id);
        }
    }

    @Test
    void adaptersWithNonFiniteOrAbsurdValuesAreRefusedAtCommitNamingTheFieldAndNotKept() throws Exception {
        Adapter good = TinyAdapters.random("good", config, 4, 8, EnumSet.of(Projection.Q), false, 9, false);
        Path src = dir.resolve("src-absurd");
        good.save(src);
        byte[] weights = Files.readAllBytes(src.resolve(Adapter.WEIGHTS_FILE));
        ObjectNode cfg = (ObjectNode) Wire.mapper().readTree(src.resolve(AdapterConfig.FILE).toFile());
        List<String[]> configs = List.of(
                new String[] {"lora_alpha", cfg.deepCopy().put("lora_alpha", 1e308).toString()},
                new String[] {"lora_alpha", cfg.deepCopy().put("lora_alpha", "NaN").toString()},
                new String[] {"r must", cfg.deepCopy().put("r", 4_294_967_300L).toString()}, // wraps to 4 as an int
                new String[] {"target_modules", cfg.deepCopy().put("target_modules", "([q").toString()});
        int n = 0;
        for (String[] c : configs) {
            String why = pushFiles("absurd-" + n++, c[1].getBytes(StandardCharsets.UTF_8), weights);
            assertTrue(why.contains(c[0]), why);
        }
        byte[] config = Files.readAllBytes(src.resolve(AdapterConfig.FILE));
        java.util.Map<String, org.openledger.studio.gpu.safetensors.Tensor> tensors = new java.util.LinkedHashMap<>();
        good.factors().forEach((site, f) -> {
            tensors.put(Adapter.name(site, "A"), f.a());
            tensors.put(Adapter.name(site, "B"), f.b());
        });
        var first = tensors.entrySet().iterator().next();
        float[] nan = first.getValue().values().clone();
        nan[1] = Float.NaN;
        var withNan = new java.util.LinkedHashMap<>(tensors);
        withNan.put(first.getKey(), new org.openledger.studio.gpu.safetensors.Tensor(first.getValue().shape(), nan));
        assertTrue(pushFiles("absurd-nan", config, safetensors(withNan)).contains("finite"));
        var farLayer = new java.util.LinkedHashMap<String, org.openledger.studio.gpu.safetensors.Tensor>();
        tensors.forEach((name, t) -> farLayer.put(name.replace("layers.0.", "layers.99999999999."), t));
        assertTrue(pushFiles("absurd-layer", config, safetensors(farLayer)).contains("layer"));
    }

    private static byte[] safetensors(java.util.Map<String, org.openledger.studio.gpu.safetensors.Tensor> tensors)
            throws Exception {
        Path f = Files.createTempFile(dir, "w", ".safetensors");
        org.openledger.studio.gpu.safetensors.SafetensorsWriter.write(f, tensors,
                org.openledger.studio.gpu.safetensors.DType.F32, java.util.Map.of("format", "pt"));
        return Files.readAllBytes(f);
    }

    /** Pushes these two files as adapter {@code id}; returns the commit's refusal, after checking nothing is kept. */
    private static String pushFiles(String id, byte[] config, byte[] weights) throws Exception {
        client.uploadAdapterFile(id, AdapterConfig.FILE, config, sha256(config));
        client.uploadAdapterFile(id, Adapter.WEIGHTS_FILE, weights, sha256(weights));
        NodeClientException e = assertThrows(NodeClientException.class, () -> client.commitAdapter(new AdapterFiles(
                id, "adapter", baseId, null, List.of(file(AdapterConfig.FILE, config),
                file(Adapter.WEIGHTS_FILE, weights)))));
        assertEquals(400, status(e), e.getMessage());
        assertEquals("adapter_unusable", e.error().error().code());
        assertFalse(modelIds().contains(id), id);
        assertFalse(Files.exists(adapters.resolve(id)), id);
        assertFalse(Files.exists(adapters.resolve("." + id + ".receiving")), "receiving folder removed: " + id);
        return e.getMessage();
    }

    /** Pushes an adapter's files; returns the commit's refusal. */
    private static String push(String id, Adapter adapter) throws Exception {
        Path src = dir.resolve("src-" + id);
        adapter.save(src);
        List<AdapterFiles.File> files = new ArrayList<>();
        for (String name : List.of(AdapterConfig.FILE, Adapter.WEIGHTS_FILE)) {
            byte[] bytes = Files.readAllBytes(src.resolve(name));
            client.uploadAdapterFile(id, name, bytes, sha256(bytes));
            files.add(file(name, bytes));
        }
        NodeClientException e = assertThrows(NodeClientException.class,
                () -> client.commitAdapter(new AdapterFiles(id, "adapter", baseId, null, files)));
        assertEquals(400, status(e));
        assertEquals("adapter_unusable", e.error().error().code());
        return e.getMessage();
    }

    @Test
    void aPulledAdapterPushedBackUnderAnotherIdIsServedAndAnswersTheSame() throws Exception {
        AdapterFiles pulled = client.adapterFiles("strong");
        List<AdapterFiles.File> sent = new ArrayList<>();
        for (AdapterFiles.File f : pulled.files()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            client.downloadAdapterFile("strong", f.name(), bytes);
            AdapterFiles receiving = client.uploadAdapterFile("strong-copy", f.name(), bytes.toByteArray(),
                    f.sha256());
            assertEquals("receiving", receiving.state());
            sent.add(f);
        }
        assertFalse(modelIds().contains("strong-copy"), "not listed before the commit");
        AdapterFiles served = client.commitAdapter(new AdapterFiles("strong-copy", "adapter", baseId, null, sent));
        assertEquals("served", served.state());
        assertEquals(pulled.files(), served.files());
        assertTrue(modelIds().contains("strong-copy"));
        assertFalse(Files.exists(adapters.resolve(".strong-copy.receiving")));

        JsonNode a = greedy("strong");
        JsonNode b = greedy("strong-copy");
        assertEquals(a.path("text").asText(), b.path("text").asText());
        assertEquals(a.path("logprobs").path("tokens"), b.path("logprobs").path("tokens"));
        assertFalse(a.path("text").asText().equals(greedy(baseId).path("text").asText()),
                "the adapter changes the answer");

        // a served id is never overwritten
        byte[] cfg = Files.readAllBytes(adapters.resolve("strong-copy").resolve(AdapterConfig.FILE));
        NodeClientException again = assertThrows(NodeClientException.class,
                () -> client.uploadAdapterFile("strong-copy", AdapterConfig.FILE, cfg, sha256(cfg)));
        assertEquals(409, status(again));
        assertEquals(409, status(assertThrows(NodeClientException.class,
                () -> client.commitAdapter(new AdapterFiles("strong-copy", "adapter", baseId, null, sent)))));
        assertEquals(409, status(assertThrows(NodeClientException.class,
                () -> client.uploadAdapterFile(baseId, AdapterConfig.FILE, cfg, sha256(cfg)))));
    }

    @Test
    void aNodeWithoutAModelAnswersAsItsInferenceRoutesDo() throws Exception {
        try (Node bare = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("bare"), TOKEN,
                "b", Duration.ofSeconds(5)), "1", NodeServices.none())) {
            NodeClient c = new NodeClient(http, bare.url(), TOKEN);
            NodeClientException e = assertThrows(NodeClientException.class, () -> c.adapterFiles("strong"));
            assertEquals(404, status(e));
            assertEquals("model_not_found", e.error().error().code());
            assertEquals(404, status(assertThrows(NodeClientException.class,
                    () -> c.uploadAdapterFile("x", AdapterConfig.FILE, new byte[]{1}, "0".repeat(64)))));
        }
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedWhileItStreams() throws Exception {
        Path folder = dir.resolve("limited");
        AdapterTransfers transfers = new AdapterTransfers(folder, baseId, config, id -> { }, 1000);
        InputStream big = new ByteArrayInputStream(new byte[5000]);
        AdapterTransferException e = assertThrows(AdapterTransferException.class,
                () -> transfers.receive("big", Adapter.WEIGHTS_FILE, "0".repeat(64), null, big));
        assertEquals(AdapterTransferException.Kind.TOO_LARGE, e.kind());
        assertEquals(AdapterTransferException.Kind.TOO_LARGE, assertThrows(AdapterTransferException.class,
                () -> transfers.receive("big", Adapter.WEIGHTS_FILE, "0".repeat(64), "5000",
                        InputStream.nullInputStream())).kind());
        try (var s = Files.walk(folder)) {
            assertTrue(s.noneMatch(Files::isRegularFile), "no part file left behind");
        }
    }

    @Test
    void pushesUntouchedForADayAreRemovedAndFreshOnesKept() throws Exception {
        Path folder = dir.resolve("expiring");
        AdapterTransfers transfers = new AdapterTransfers(folder, baseId, config, id -> { });
        byte[] bytes = "{}".getBytes(StandardCharsets.UTF_8);
        for (String id : List.of("old", "fresh")) {
            transfers.receive(id, AdapterConfig.FILE, sha256(bytes), null, new ByteArrayInputStream(bytes));
        }
        java.nio.file.attribute.FileTime dayAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(Duration.ofHours(25)));
        try (var s = Files.walk(folder.resolve(".old.receiving"))) {
            for (Path p : s.toList()) {
                Files.setLastModifiedTime(p, dayAgo);
            }
        }
        assertEquals(1, transfers.expireReceiving(java.time.Instant.now().minus(Duration.ofHours(24))));
        assertFalse(Files.exists(folder.resolve(".old.receiving")));
        assertTrue(Files.isRegularFile(folder.resolve(".fresh.receiving").resolve("fresh").resolve(AdapterConfig.FILE)));
    }
}
