package org.openledger.studio.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.attribution.AttributionRequest;
import org.openledger.studio.api.attribution.IndexRequest;
import org.openledger.studio.api.finetune.AdapterFiles;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.api.openai.ChatCompletionRequest;
import org.openledger.studio.api.openai.CompletionRequest;
import org.openledger.studio.api.registry.NearDuplicateRequest;
import org.openledger.studio.api.registry.OpenUpload;
import org.openledger.studio.api.rewards.CreditRequest;
import org.openledger.studio.daemon.attribution.Attributions;
import org.openledger.studio.daemon.finetune.DatanetRows;
import org.openledger.studio.daemon.finetune.FineTuneServices;
import org.openledger.studio.daemon.handlers.RewardHandlers;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.daemon.registry.RegistryService;
import org.openledger.studio.daemon.rewards.RewardChain;
import org.openledger.studio.daemon.rewards.RewardLedger;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.wallet.Address;

/**
 * Every JSON endpoint, fed {@code null}, {@code [null]} and wrong shapes of each of its fields (null elements, empty
 * objects in lists, wrong types): a 4xx with a JSON error every time, never a 5xx.
 */
class JsonBodiesTest {

    private static final String TOKEN = "json-bodies-test-token-0123456789";
    private static final MediaType JSON = MediaType.get("application/json");

    @TempDir
    static Path dir;

    private static Node node;
    private static final OkHttpClient http = NodeClient.defaultHttp();

    /** A chain that refuses everything: the ledger's checks of a body come first. */
    private static final RewardChain NO_CHAIN = new RewardChain() {
        public Address distributor() {
            return Address.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
        }

        public long currentEpoch() {
            return 0;
        }

        public BigInteger claimed(Address account) {
            return BigInteger.ZERO;
        }

        public BigInteger held() {
            return BigInteger.ZERO;
        }

        public Optional<String> cannotPost() {
            return Optional.of("no chain in this test");
        }

        public Optional<String> cannotFund() {
            return Optional.of("no chain in this test");
        }

        public void fund(BigInteger amountWei) {
            throw new IllegalStateException("no chain");
        }

        public Posted post(long epoch, byte[] root) {
            throw new IllegalStateException("no chain");
        }

        public Optional<Posted> posted(long epoch) {
            return Optional.empty();
        }
    };

    @BeforeAll
    static void start() throws Exception {
        Path model = dir.resolve("tiny-chat");
        TinyModels.chatModel(model, 7);
        BaseModel base = BaseModel.load(model, ComputeDevice.cpu("test cpu", 8L << 30, 4L << 30), 4, 128);
        Path adapters = dir.resolve("adapters");
        Path data = dir.resolve("node");
        Attributions attributions = new Attributions(base, adapters, data, 256, 0.1);
        NodeServices services = FineTuneServices.add(InferenceServices.of(ServedModels.of(base, adapters, 4), 4,
                attributions::submit), base, adapters, data, DatanetRows.NONE, attributions);
        services = RegistryService.addTo(services, data, new org.openledger.studio.datanet.contribution.ManifestDomain(
                31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3"));
        RewardLedger ledger = RewardLedger.open(data, NO_CHAIN, Clock.systemUTC());
        services = services.withRoutes(new RewardHandlers(ledger)::register).withResource(ledger);
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, data, TOKEN, "t",
                Duration.ofSeconds(5)), "1", services);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static final Map<String, Class<?>> ENDPOINTS = new LinkedHashMap<>();

    static {
        ENDPOINTS.put("/v1/completions", CompletionRequest.class);
        ENDPOINTS.put("/v1/chat/completions", ChatCompletionRequest.class);
        ENDPOINTS.put("/v1/adapters/pushed/commit", AdapterFiles.class);
        ENDPOINTS.put("/v1/fine_tuning/jobs", FineTuneRequest.class);
        ENDPOINTS.put("/v1/fine_tuning/estimate", FineTuneRequest.class);
        ENDPOINTS.put("/v1/attribution/indexes", IndexRequest.class);
        ENDPOINTS.put("/v1/attribution", AttributionRequest.class);
        ENDPOINTS.put("/v1/registry/uploads", OpenUpload.class);
        ENDPOINTS.put("/v1/datanets/1/near-duplicates", NearDuplicateRequest.class);
        ENDPOINTS.put("/v1/rewards/credits", CreditRequest.class);
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

    /** Whole bodies of the wrong shape, and each field of the request given null elements and wrong types. */
    private static List<String> bodies(Class<?> type) {
        List<String> out = new ArrayList<>(List.of("null", "[null]", "[]", "{}", "1", "\"x\"", "{\"\": null}"));
        for (RecordComponent c : type.getRecordComponents()) {
            String f = "\"" + snake(c.getName()) + "\"";
            for (String v : List.of("[null]", "[{}]", "[[]]", "{}", "[]", "\"\"", "-1", "1e308", "2147483648",
                    "[\"x\", null]", "[{\"a\": null}]", "true")) {
                out.add("{" + f + ": " + v + "}");
            }
        }
        return out;
    }

    @Test
    void everyJsonEndpointAnswersBadBodiesWith4xxAndAJsonError() throws Exception {
        List<String> failures = new ArrayList<>();
        for (var e : ENDPOINTS.entrySet()) {
            for (String body : bodies(e.getValue())) {
                try (Response r = http.newCall(new Request.Builder().url(node.url() + e.getKey())
                        .header("Authorization", "Bearer " + TOKEN).post(RequestBody.create(body, JSON)).build())
                        .execute()) {
                    String text = r.body().string();
                    JsonNode json = r.code() == 200 ? null : Wire.mapper().readTree(text);
                    if (r.code() >= 500 || (json != null && !json.path("error").isObject())) {
                        failures.add(e.getKey() + " " + body + " -> " + r.code() + " " + text);
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " bodies failed:\n" + String.join("\n", failures));
    }
}
