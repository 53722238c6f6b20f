package org.openledger.studio.daemon.adapters;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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
import org.openledger.studio.api.adapters.AdapterInfo;
import org.openledger.studio.api.adapters.AdapterList;
import org.openledger.studio.api.adapters.AdapterRegistration;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.lora.AdapterStore;
import org.openledger.studio.gpu.lora.TinyAdapters;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.model.TinyModels;

/**
 * The adapter tiers behind a real node on a tiny real model: registration, deletion, replacement, broken files,
 * bounds, metrics, and the registry across a restart.
 */
class AdapterTiersApiTest {

    private static final String TOKEN = "adapter-tiers-test-token-0123456789";
    private static final MediaType JSON = MediaType.get("application/json");

    @TempDir
    static Path dir;

    private static ModelConfig config;
    private static Path model;
    private static Path adapters;
    private static Path outside;
    private static long oneAdapter;
    private static Node node;
    private static ServedModels models;
    private static NodeClient client;
    private static final OkHttpClient http = NodeClient.defaultHttp();

    @BeforeAll
    static void start() throws Exception {
        model = dir.resolve("tiny-chat");
        config = TinyModels.chatModel(model, 7);
        adapters = dir.resolve("node").resolve("adapters");
        outside = dir.resolve("outside");
        TinyAdapters.random("warm", config, 4, 8, EnumSet.of(Projection.Q, Projection.V), false, 3, false)
                .save(adapters.resolve("warm"));
        for (int i = 0; i < 3; i++) {
            TinyAdapters.random("new-" + i, config, 4, 8, EnumSet.of(Projection.Q, Projection.V), false, 10 + i,
                    false).save(outside.resolve("new-" + i));
        }
        oneAdapter = AdapterStore.deviceBytes(Adapter.load(adapters.resolve("warm")));
        startNode();
    }

    /** Room for two adapters on the device. */
    private static void startNode() throws Exception {
        BaseModel base = BaseModel.load(model, ComputeDevice.cpu("test cpu", 8L << 30, 4L << 30), 4, 128);
        models = ServedModels.of(base, adapters, dir.resolve("node").resolve("adapters.db"),
                AdapterStore.Limits.ofBytes(64L << 20, 2 * oneAdapter + 1));
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("node"), TOKEN, "t",
                Duration.ofSeconds(5)), "1", InferenceServices.of(models, 4));
        client = new NodeClient(http, node.url(), TOKEN);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static JsonNode call(String method, String path, Object body, int expected) throws Exception {
        RequestBody rb = body == null ? (method.equals("POST") ? RequestBody.create(new byte[0], JSON) : null)
                : RequestBody.create(Wire.mapper().writeValueAsBytes(body), JSON);
        try (Response r = http.newCall(new Request.Builder().url(node.url() + path)
                .header("Authorization", "Bearer " + TOKEN).method(method, rb).build()).execute()) {
            String text = r.body().string();
            assertEquals(expected, r.code(), method + " " + path + ": " + text);
            return Wire.mapper().readTree(text);
        }
    }

    /** A request written by hand, so that no client normalises the path first. */
    private static String raw(String method, String path) throws Exception {
        return raw(method, path, 0);
    }

    private static String raw(String method, String path, long contentLength) throws Exception {
        try (java.net.Socket s = new java.net.Socket(node.url().getHost(), node.url().getPort())) {
            s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + TOKEN + "\r\nContent-Length: " + contentLength + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            // the answer's head and its Content-Length of body (the server may wait for a body it never gets)
            java.io.InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return head.toString();
                }
                head.append((char) b);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            byte[] body = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : in.readAllBytes();
            return head + new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static JsonNode complete(String model, int expected) throws Exception {
        return call("POST", "/v1/completions", Map.of("model", model, "prompt", "once upon", "max_tokens", 3,
                "temperature", 0), expected);
    }

    private static AdapterInfo info(String id) {
        return client.adapters(null).data().stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
    }

    private static List<String> models() {
        return client.models().data().stream().map(m -> m.id()).toList();
    }

    @Test
    void registeredAdaptersServeAtOnceAndReportTheirTiersAndCounters() throws Exception {
        AdapterInfo added = client.registerAdapter(new AdapterRegistration(outside.resolve("new-0").toString(),
                "added", false, false));
        assertEquals("added", added.id());
        assertEquals(4, added.rank());
        assertEquals(List.of("q_proj", "v_proj"), added.targets());
        assertEquals(oneAdapter, added.deviceBytes());
        assertEquals("disk", added.tier());
        assertTrue(Files.isDirectory(outside.resolve("new-0")), "copied, the original kept");
        assertTrue(models().contains("added"), "/v1/models lists it without a restart");

        int generated = complete("added", 200).path("usage").path("completion_tokens").asInt()
                + complete("added", 200).path("usage").path("completion_tokens").asInt();
        assertTrue(generated > 0);
        AdapterInfo used = info("added");
        assertEquals("device", used.tier());
        assertEquals(2, used.requests());
        assertEquals(generated, used.tokens());
        // the first request's prefetch may have finished the upload before it asked: a disk or a device hit
        assertEquals(2, used.diskHits() + used.hostHits() + used.deviceHits());
        assertTrue(used.deviceHits() >= 1);
        assertEquals(1, used.loads());
        assertNotNull(used.lastDiskToHostMs());
        assertNotNull(used.lastUsedAt());
        assertEquals(used.deviceHits() / 2.0, used.deviceHitRate(), 1e-9);
        AdapterList onDevice = client.adapters("device");
        assertTrue(onDevice.data().stream().allMatch(a -> a.tier().equals("device")));
        assertTrue(onDevice.data().stream().anyMatch(a -> a.id().equals("added")));
        AdapterList.Tier device = onDevice.tiers().stream().filter(t -> t.tier().equals("device")).findFirst()
                .orElseThrow();
        assertEquals(2 * oneAdapter + 1, device.boundBytes());
        assertTrue(device.bytes() <= device.boundBytes());

        String metrics = client.metrics();
        assertTrue(metrics.contains("studio_adapter_requests_total{adapter=\"added\"} 2"), metrics);
        assertTrue(metrics.contains("studio_adapter_tokens_total{adapter=\"added\"} " + generated), metrics);
        assertTrue(metrics.contains("studio_adapter_tier_hits_total{adapter=\"added\",tier=\"device\"} "
                + used.deviceHits()));
        assertTrue(metrics.contains("studio_adapter_tier_misses_total{adapter=\"added\",tier=\"host\"} "
                + used.diskHits()));
        assertTrue(metrics.contains("studio_adapter_load_seconds_count{adapter=\"added\",stage=\"host_to_device\"} 1"));
        assertTrue(metrics.contains("studio_adapter_tier_bound_bytes{tier=\"device\"} " + (2 * oneAdapter + 1)));

        // moved, not copied
        client.registerAdapter(new AdapterRegistration(outside.resolve("new-1").toString(), null, true, null));
        assertFalse(Files.exists(outside.resolve("new-1")));
        assertTrue(models().contains("new-1"));
        // a third adapter on a device with room for two: the least recently used idle one leaves it
        complete("warm", 200);
        complete("new-1", 200);
        assertEquals(2, client.adapters("device").data().size());
        assertFalse(client.adapters("device").data().stream().anyMatch(a -> a.id().equals("added")));
        assertEquals("host", info("added").tier());
    }

    @Test
    void deleteIsRefusedWhileInUseThenRemovesTheAdapterFromEveryTierAndTheDisk() throws Exception {
        client.registerAdapter(new AdapterRegistration(outside.resolve("new-2").toString(), "doomed", false, false));
        complete("doomed", 200);
        AdapterStore.Lease held = models.adapters().acquire("doomed").get(); // a running request's hold
        JsonNode busy = call("DELETE", "/v1/adapters/doomed", null, 409).path("error");
        assertEquals("adapter_in_use", busy.path("code").asText());
        assertTrue(Files.isDirectory(adapters.resolve("doomed")));
        held.close();
        assertTrue(client.deleteAdapter("doomed").deleted());
        assertFalse(Files.exists(adapters.resolve("doomed")));
        assertNull(info("doomed"));
        assertFalse(models().contains("doomed"));
        assertEquals("model_not_found", complete("doomed", 404).path("error").path("code").asText());
        call("DELETE", "/v1/adapters/doomed", null, 404);
        assertFalse(client.metrics().contains("adapter=\"doomed\""), "its counters went with it");
    }

    @Test
    void aReplacedAdapterIsNeverServedWithItsOldWeights() throws Exception {
        Path v1 = dir.resolve("v1").resolve("swap");
        Path v2 = dir.resolve("v2").resolve("swap");
        TinyAdapters.random("swap", config, 4, 8, EnumSet.of(Projection.Q, Projection.V), false, 21, false).save(v1);
        TinyAdapters.random("swap", config, 4, 8, EnumSet.of(Projection.Q, Projection.V), false, 22, false).save(v2);
        String sha1 = client.registerAdapter(new AdapterRegistration(v1.toString(), null, false, false)).sha256();
        complete("swap", 200);
        AdapterStore.Lease old = models.adapters().acquire("swap").get();
        JsonNode taken = call("POST", "/v1/adapters", new AdapterRegistration(v2.toString(), null, false, false), 409);
        assertEquals("adapter_exists", taken.path("error").path("code").asText());
        AdapterInfo replaced = client.registerAdapter(new AdapterRegistration(v2.toString(), null, false, true));
        assertNotEquals(sha1, replaced.sha256());
        assertEquals(AdapterRegistry.sha256(v2.resolve(Adapter.WEIGHTS_FILE)), replaced.sha256());
        try (AdapterStore.Lease now = models.adapters().acquire("swap").get()) {
            assertNotEquals(old.version(), now.version());
            assertEquals(AdapterStore.Tier.DISK, now.foundIn(), "read from the new files");
            assertEquals(replaced.sha256(), now.version().split("/")[0]);
        }
        old.close();
        complete("swap", 200);
    }

    @Test
    void aFileCorruptOnlyInItsValuesFailsItsRequestIsMarkedBrokenAndTheRestServe() throws Exception {
        Path bad = outside.resolve("nan");
        TinyAdapters.random("nan", config, 4, 8, EnumSet.of(Projection.Q), false, 30, false).save(bad);
        Path weights = bad.resolve(Adapter.WEIGHTS_FILE);
        byte[] bytes = Files.readAllBytes(weights);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(bytes.length - 4, Float.NaN);
        Files.write(weights, bytes);
        // the header is sound, so registration's checks pass only if the tensors are not read: copy it in by hand
        Files.createDirectories(adapters.resolve("nan"));
        for (String f : List.of(AdapterConfig.FILE, Adapter.WEIGHTS_FILE)) {
            Files.copy(bad.resolve(f), adapters.resolve("nan").resolve(f));
        }
        assertTrue(models().contains("nan"), "found by the scan, not yet known to be broken");
        JsonNode failed = complete("nan", 400).path("error");
        assertEquals("model_unusable", failed.path("code").asText());
        assertTrue(failed.path("message").asText().contains("NaN"), failed.toString());
        AdapterInfo broken = info("nan");
        assertNotNull(broken.brokenReason());
        assertTrue(broken.brokenReason().contains("NaN"), broken.brokenReason());
        assertTrue(complete("nan", 400).path("error").path("message").asText().contains("broken"),
                "refused at once from the registry, without loading again");
        complete("warm", 200);
        complete(models.base().id(), 200);
    }

    @Test
    void badRegistrationsAreRefusedWithTheReason() throws Exception {
        assertEquals("path", call("POST", "/v1/adapters", new AdapterRegistration("relative/dir", null, null, null),
                400).path("error").path("param").asText());
        assertEquals("path", call("POST", "/v1/adapters", new AdapterRegistration(dir.resolve("nowhere").toString(),
                null, null, null), 400).path("error").path("param").asText());
        for (String id : List.of("..", "../x", "/etc/x", ".hidden", "a/b")) {
            assertEquals("id", call("POST", "/v1/adapters", new AdapterRegistration(outside.resolve("new-2")
                    .toString(), id, null, null), 400).path("error").path("param").asText(), id);
        }
        assertTrue(raw("DELETE", "/v1/adapters/%2e%2e").startsWith("HTTP/1.1 400"), "an encoded '..'");
        assertTrue(raw("DELETE", "/v1/adapters/%2Fetc").startsWith("HTTP/1.1 4"), "an encoded absolute path");
        call("DELETE", "/v1/adapters/.hidden", null, 400);
        assertEquals("tier", call("GET", "/v1/adapters?tier=gpu", null, 400).path("error").path("param").asText());

        Path other = dir.resolve("other").resolve("elsewhere");
        Adapter a = TinyAdapters.random("elsewhere", config, 4, 8, EnumSet.of(Projection.Q), false, 40, false);
        new Adapter("elsewhere", new AdapterConfig(4, 8, EnumSet.of(Projection.Q), false, "meta-llama/Llama-3-8B"),
                a.factors()).save(other);
        JsonNode mismatch = call("POST", "/v1/adapters", new AdapterRegistration(other.toString(), null, null, null),
                400).path("error");
        assertTrue(mismatch.path("message").asText().contains("Llama-3-8B"), mismatch.toString());

        Path big = dir.resolve("big").resolve("big");
        TinyAdapters.random("big", config, 16, 8, EnumSet.allOf(Projection.class), false, 41, false).save(big);
        JsonNode tooBig = call("POST", "/v1/adapters", new AdapterRegistration(big.toString(), null, null, null), 400)
                .path("error");
        assertEquals("adapter_too_large", tooBig.path("code").asText());
        assertFalse(Files.exists(adapters.resolve("big")));

        // a push declared larger than the device bound is refused before its body is read
        String refused = raw("PUT", "/v1/adapters/pushed/files/" + Adapter.WEIGHTS_FILE + "?sha256=" + "0".repeat(64),
                2 * oneAdapter + 300_000); // headers only: the answer comes before any byte of the body
        assertTrue(refused.startsWith("HTTP/1.1 400"), refused);
        assertTrue(refused.contains("adapter_too_large"), refused);
        assertFalse(Files.exists(adapters.resolve(".pushed.receiving")), "nothing of it was kept");
        NodeClientException e = assertThrows(NodeClientException.class, () -> client.deleteAdapter("never-was"));
        assertEquals(404, e.status());
    }

    @Test
    void theRegistrySurvivesARestart() throws Exception {
        client.registerAdapter(new AdapterRegistration(outside.resolve("new-2").toString(), "kept", false, false));
        complete("kept", 200);
        AdapterInfo before = info("kept");
        node.close();
        startNode();
        AdapterInfo after = info("kept");
        assertEquals(before.createdAt(), after.createdAt());
        assertEquals(before.sha256(), after.sha256());
        assertEquals(1, after.requests());
        assertEquals(before.tokens(), after.tokens());
        assertEquals(before.lastUsedAt(), after.lastUsedAt());
        assertEquals("disk", after.tier());
        complete("kept", 200);
        assertEquals(2, info("kept").requests());
    }

    /** A safetensors head (length + JSON) declaring one F16 tensor of {@code rows x cols}, and no data. */
    private static byte[] f16Head(String tensor, int rows, int cols) {
        String json = "{\"" + tensor + "\":{\"dtype\":\"F16\",\"shape\":[" + rows + "," + cols
                + "],\"data_offsets\":[0," + (2L * rows * cols) + "]}}";
        byte[] header = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length)
                .put(header).array();
    }

    /**
     * Sends a PUT's head and {@code sent} of its body (chunked when {@code contentLength} is negative), then reads the
     * answer without sending more: an answer at all shows the node decided on what it had.
     */
    private static String putPartly(String path, long contentLength, byte[] sent) throws Exception {
        try (java.net.Socket s = new java.net.Socket(node.url().getHost(), node.url().getPort())) {
            s.setSoTimeout(30_000);
            var out = s.getOutputStream();
            out.write(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN + "\r\n"
                    + (contentLength < 0 ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + contentLength
                    + "\r\n") + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (contentLength < 0) {
                out.write((Integer.toHexString(sent.length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.write(sent);
                out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } else {
                out.write(sent);
            }
            out.flush();
            java.io.InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return head.toString();
                }
                head.append((char) b);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            byte[] body = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : new byte[0];
            return head + new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void aPushTooLargeForTheDeviceIsRefusedFromItsHeaderBeforeItsWeightsWhateverItsLengthAndDtype() throws Exception {
        String tensor = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
        int cols = config.hiddenSize();
        long bound = 2 * oneAdapter + 1;
        int rows = (int) (3 * bound / (8L * cols)) + 1; // 1.5x the device bound as float32
        byte[] head = f16Head(tensor, rows, cols);
        long declared = head.length + 2L * rows * cols; // F16: half of what it takes on the device
        assertTrue(4L * rows * cols > bound);
        assertTrue(declared - (256 << 10) < bound, "a declared length cannot tell it is too large");
        String path = "/v1/adapters/half-wide/files/" + Adapter.WEIGHTS_FILE + "?sha256=" + "0".repeat(64);
        for (long length : new long[] {declared, -1}) { // declared, and chunked (no length at all)
            String answer = putPartly(path, length, head); // the head only: no tensor byte is ever sent
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            JsonNode error = Wire.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("error");
            assertEquals("adapter_too_large", error.path("code").asText(), answer);
            assertTrue(error.path("message").asText().contains((4L * rows * cols) + " bytes on the device"), answer);
        }
        assertFalse(Files.exists(adapters.resolve(".half-wide.receiving")), "nothing of it was kept");
        assertFalse(models().contains("half-wide"));

        // one that fits goes on receiving its weights past the head
        Path fits = dir.resolve("fits").resolve("fits");
        TinyAdapters.random("fits", config, 4, 8, EnumSet.of(Projection.Q, Projection.V), false, 50, false).save(fits);
        org.openledger.studio.api.finetune.AdapterFiles received = null;
        for (String f : List.of(AdapterConfig.FILE, Adapter.WEIGHTS_FILE)) {
            received = client.uploadAdapterFile("fits", f, fits.resolve(f), AdapterRegistry.sha256(fits.resolve(f)));
        }
        client.commitAdapter(received);
        assertEquals(AdapterRegistry.sha256(fits.resolve(Adapter.WEIGHTS_FILE)), info("fits").sha256());
        complete("fits", 200);
    }

    @Test
    void aDeletedAdapterIsNeverServedAgainEvenWhenItsIdComesBackWithOtherWeights() throws Exception {
        Path v1 = dir.resolve("d1").resolve("phoenix");
        Path v2 = dir.resolve("d2").resolve("phoenix");
        TinyAdapters.random("phoenix", config, 4, 8, EnumSet.of(Projection.Q, Projection.V), false, 61, false).save(v1);
        TinyAdapters.random("phoenix", config, 8, 8, EnumSet.of(Projection.Q, Projection.V), false, 62, false).save(v2);
        client.registerAdapter(new AdapterRegistration(v1.toString(), null, false, false));
        complete("phoenix", 200);
        complete("phoenix", 200); // on the device and the host now
        String oldVersion;
        try (AdapterStore.Lease l = models.adapters().acquire("phoenix").get()) {
            oldVersion = l.version();
        }
        client.deleteAdapter("phoenix");
        assertEquals("model_not_found", complete("phoenix", 404).path("error").path("code").asText());
        assertFalse(client.adapters("device").data().stream().anyMatch(a -> a.id().equals("phoenix")));
        assertFalse(client.adapters("host").data().stream().anyMatch(a -> a.id().equals("phoenix")));

        AdapterInfo back = client.registerAdapter(new AdapterRegistration(v2.toString(), null, false, false));
        assertEquals(8, back.rank());
        assertEquals(0, back.requests(), "the old counters went with the old adapter");
        assertEquals("disk", back.tier(), "no tier kept the deleted weights");
        try (AdapterStore.Lease now = models.adapters().acquire("phoenix").get()) {
            assertNotEquals(oldVersion, now.version());
            assertEquals(AdapterStore.Tier.DISK, now.foundIn(), "read from the new files, not a cache");
        }
        // it answers exactly as the same new weights do under another id
        client.registerAdapter(new AdapterRegistration(v2.toString(), "phoenix-twin", false, false));
        assertEquals(complete("phoenix-twin", 200).path("choices").get(0).path("text").asText(),
                complete("phoenix", 200).path("choices").get(0).path("text").asText());
    }

    @Test
    void filesChangedByHandOnDiskAreNeverServedStaleAndAFixedBrokenAdapterServesAgain() throws Exception {
        Path good = dir.resolve("hand").resolve("good");
        TinyAdapters.random("handmade", config, 4, 8, EnumSet.of(Projection.Q), false, 70, false).save(good);
        client.registerAdapter(new AdapterRegistration(good.toString(), "handmade", false, false));
        complete("handmade", 200);
        complete("handmade", 200);
        assertEquals("device", info("handmade").tier());

        // its values turned to NaN in place (same size): the cached weights are not served, the new files fail
        Path weights = adapters.resolve("handmade").resolve(Adapter.WEIGHTS_FILE);
        byte[] bytes = Files.readAllBytes(weights);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(bytes.length - 4, Float.NaN);
        Files.write(weights, bytes);
        Files.setLastModifiedTime(weights, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 5_000)); // a coarse clock must still see a change
        JsonNode failed = complete("handmade", 400).path("error");
        assertEquals("model_unusable", failed.path("code").asText(), failed.toString());
        assertTrue(failed.path("message").asText().contains("NaN"), failed.toString());
        AdapterInfo broken = info("handmade");
        assertNotNull(broken.brokenReason(), "listed as broken");
        assertEquals("disk", broken.tier(), "the stale weights left the device");
        assertEquals(List.of("handmade"), client.adapters("disk").data().stream().map(AdapterInfo::id)
                .filter(id -> id.equals("handmade")).toList());
        complete("warm", 200); // the rest serve on

        // fixed by hand: the registry forgets the breakage once the files change, and it serves again
        Files.copy(good.resolve(Adapter.WEIGHTS_FILE), weights, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(weights, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 10_000));
        complete("handmade", 200);
        assertNull(info("handmade").brokenReason());
    }

    @Test
    void aTruncatedWeightsFileIsRefusedWithItsReasonAndListedBroken() throws Exception {
        Path src = dir.resolve("cut").resolve("cut");
        TinyAdapters.random("cut", config, 4, 8, EnumSet.of(Projection.Q, Projection.V), false, 80, false).save(src);
        Files.createDirectories(adapters.resolve("cut"));
        Files.copy(src.resolve(AdapterConfig.FILE), adapters.resolve("cut").resolve(AdapterConfig.FILE));
        byte[] w = Files.readAllBytes(src.resolve(Adapter.WEIGHTS_FILE));
        Files.write(adapters.resolve("cut").resolve(Adapter.WEIGHTS_FILE), java.util.Arrays.copyOf(w, w.length - 100));
        JsonNode failed = complete("cut", 400).path("error");
        assertFalse(failed.path("message").asText().isBlank(), failed.toString());
        assertNotNull(info("cut").brokenReason(), "listed as broken");
        complete("warm", 200);
        complete(models.base().id(), 200);
    }
}
