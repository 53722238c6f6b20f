package org.openledger.studio.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.util.Map;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The studio's client of a node, embedded or remote: one code path for both. Thread-safe; share one
 * {@link OkHttpClient} between clients (connection pool, dispatcher) through {@link #NodeClient(OkHttpClient, URI, String)}.
 */
public final class NodeClient implements NodesApi, org.openledger.studio.api.chain.WalletApi,
        org.openledger.studio.api.rewards.EarningsApi, org.openledger.studio.api.attribution.AttributionApi,
        org.openledger.studio.api.openai.PlaygroundApi, org.openledger.studio.api.finetune.FineTuneApi,
        org.openledger.studio.api.adapters.AdaptersApi {

    private static final okhttp3.MediaType OCTETS = okhttp3.MediaType.get("application/octet-stream");

    private final OkHttpClient http;
    private final HttpUrl base;
    private final String token;

    /**
     * @param http  a shared OkHttp client
     * @param base  the node's base URL, e.g. {@code http://127.0.0.1:8765}
     * @param token the node's access token, or null for none
     */
    public NodeClient(OkHttpClient http, URI base, String token) {
        this.http = Objects.requireNonNull(http);
        HttpUrl parsed = HttpUrl.get(base.toString());
        this.base = parsed;
        this.token = token;
    }

    /** A client with default timeouts suitable for quick calls (connect 3 s, read 30 s). */
    public static OkHttpClient defaultHttp() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(3))
                .readTimeout(Duration.ofSeconds(30))
                .callTimeout(Duration.ofSeconds(60))
                .build();
    }

    /**
     * Checks that {@code url} is an http(s) URL with a host, and returns it normalised (no trailing slash).
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static URI parseBaseUrl(String url) {
        String trimmed = url == null ? "" : url.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("Enter the node's URL, e.g. https://gpu-box.example:8765");
        }
        HttpUrl parsed = HttpUrl.parse(trimmed);
        if (parsed == null) {
            throw new IllegalArgumentException("\"" + trimmed + "\" is not an http:// or https:// URL");
        }
        String s = parsed.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    public URI baseUrl() {
        return base.uri();
    }

    public Health health() {
        return get("health", Health.class);
    }

    public VersionInfo version() {
        return get("v1/version", VersionInfo.class);
    }

    public NodeInfo node() {
        return get("v1/node", NodeInfo.class);
    }

    /** The chain the node works with: network, chain id, RPC URL, state and contract addresses. */
    public org.openledger.studio.api.chain.ChainInfo chain() {
        return get("v1/chain", org.openledger.studio.api.chain.ChainInfo.class);
    }

    /** Test OPEN (and gas money) for {@code address} from the node's local devnet. */
    public org.openledger.studio.api.chain.FaucetResult faucet(String address) {
        return post("v1/chain/faucet", new org.openledger.studio.api.chain.FaucetRequest(address, null),
                org.openledger.studio.api.chain.FaucetResult.class);
    }

    /** Adds reward credits the node owes accounts ({@code POST /v1/rewards/credits}); answers the credits kept. */
    public org.openledger.studio.api.rewards.RewardCredits addRewardCredits(
            org.openledger.studio.api.rewards.CreditRequest request) {
        return post("v1/rewards/credits", request, org.openledger.studio.api.rewards.RewardCredits.class);
    }

    /** The node's reward credits, newest first; only {@code account}'s when it is not null. */
    public org.openledger.studio.api.rewards.RewardCredits rewardCredits(String account) {
        String path = "v1/rewards/credits";
        HttpUrl.Builder url = resolve(path).newBuilder();
        if (account != null) {
            url.addQueryParameter("account", account);
        }
        try (Response r = call(request(path).newBuilder().url(url.build()).build())) {
            return readJson(r, path, org.openledger.studio.api.rewards.RewardCredits.class);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Settles the credits into a new epoch and posts its root on chain ({@code POST /v1/rewards/epochs}). */
    public org.openledger.studio.api.rewards.RewardEpoch settleRewards() {
        return post("v1/rewards/epochs", java.util.Map.of(), org.openledger.studio.api.rewards.RewardEpoch.class);
    }

    /** Every reward epoch the node recorded, newest first. */
    public org.openledger.studio.api.rewards.RewardEpochs rewardEpochs() {
        return get("v1/rewards/epochs", org.openledger.studio.api.rewards.RewardEpochs.class);
    }

    /** {@code account}'s claim against the newest posted epoch: cumulative, proof, already claimed, claimable. */
    public org.openledger.studio.api.rewards.RewardProof rewardProof(String account) {
        return get("v1/rewards/proof/" + account, org.openledger.studio.api.rewards.RewardProof.class);
    }

    /** The base model and adapters the node serves. */
    /** {@code POST /v1/attribution}: where a given answer came from, computed now. */
    public org.openledger.studio.api.attribution.AttributionRecord attribute(
            org.openledger.studio.api.attribution.AttributionRequest request) {
        return post("v1/attribution", request, org.openledger.studio.api.attribution.AttributionRecord.class);
    }

    /** {@code GET /v1/attribution/{id}}: a stored attribution record (pending, done or failed). */
    public org.openledger.studio.api.attribution.AttributionRecord attribution(String id) {
        return get("v1/attribution/" + id, org.openledger.studio.api.attribution.AttributionRecord.class);
    }

    /**
     * {@code GET /v1/attribution}: recent records, newest first, optionally only those of a model, or crediting a
     * contributor or a Datanet (null: any).
     */
    public org.openledger.studio.api.attribution.AttributionList attributions(String model, String contributor,
                                                                              String datanet, int limit) {
        String path = "v1/attribution";
        HttpUrl.Builder url = resolve(path).newBuilder().addQueryParameter("limit", Integer.toString(limit));
        if (model != null && !model.isBlank()) {
            url.addQueryParameter("model", model);
        }
        if (contributor != null && !contributor.isBlank()) {
            url.addQueryParameter("contributor", contributor);
        }
        if (datanet != null && !datanet.isBlank()) {
            url.addQueryParameter("datanet", datanet);
        }
        try (Response r = call(request(path).newBuilder().url(url.build()).build())) {
            return readJson(r, path, org.openledger.studio.api.attribution.AttributionList.class);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** {@code GET /v1/pricing}. */
    public org.openledger.studio.api.attribution.Pricing pricing() {
        return get("v1/pricing", org.openledger.studio.api.attribution.Pricing.class);
    }

    /** {@code POST /v1/pricing}: sets a model's price (model null: the default); answers the whole pricing. */
    public org.openledger.studio.api.attribution.Pricing setPrice(org.openledger.studio.api.attribution.Pricing.Price p) {
        return post("v1/pricing", p, org.openledger.studio.api.attribution.Pricing.class);
    }

    /** {@code GET /v1/attribution/indexes}. */
    public org.openledger.studio.api.attribution.InfluenceIndexList influenceIndexes() {
        return get("v1/attribution/indexes", org.openledger.studio.api.attribution.InfluenceIndexList.class);
    }

    /** {@code POST /v1/attribution/indexes}: builds (or rebuilds) an adapter's influence index. */
    public org.openledger.studio.api.attribution.InfluenceIndexInfo buildInfluenceIndex(String adapter) {
        return post("v1/attribution/indexes", new org.openledger.studio.api.attribution.IndexRequest(adapter),
                org.openledger.studio.api.attribution.InfluenceIndexInfo.class);
    }

    /** The finished contributions the node holds for the Datanet with this id ({@code GET /v1/datanets/{id}/contributions}). */
    @Override
    public java.util.List<org.openledger.studio.api.registry.UploadStatus> datanetContributions(
            java.math.BigInteger datanetId) {
        return registry().contributions(datanetId).contributions();
    }

    /** The domain the node's registry checks contribution signatures against ({@code GET /v1/registry}). */
    public org.openledger.studio.api.registry.RegistryInfo registryInfo() {
        return registry().info();
    }

    /** The node's Datanet registry endpoints, in the protocol's records. */
    public org.openledger.studio.api.registry.RegistryApi registry() {
        return new org.openledger.studio.api.registry.RegistryApi(this);
    }

    public org.openledger.studio.api.openai.ModelList models() {
        return get("v1/models", org.openledger.studio.api.openai.ModelList.class);
    }

    /** Queues a fine-tuning job ({@code POST /v1/fine_tuning/jobs}). */
    public org.openledger.studio.api.finetune.FineTuneJob createFineTuneJob(
            org.openledger.studio.api.finetune.FineTuneRequest request) {
        return post("v1/fine_tuning/jobs", request, org.openledger.studio.api.finetune.FineTuneJob.class);
    }

    /** The node's fine-tuning jobs, newest first. */
    public org.openledger.studio.api.finetune.FineTuneLists.Jobs fineTuneJobs() {
        return get("v1/fine_tuning/jobs", org.openledger.studio.api.finetune.FineTuneLists.Jobs.class);
    }

    public org.openledger.studio.api.finetune.FineTuneJob fineTuneJob(String id) {
        return get("v1/fine_tuning/jobs/" + id, org.openledger.studio.api.finetune.FineTuneJob.class);
    }

    public org.openledger.studio.api.finetune.FineTuneJob cancelFineTuneJob(String id) {
        return post("v1/fine_tuning/jobs/" + id + "/cancel", java.util.Map.of(),
                org.openledger.studio.api.finetune.FineTuneJob.class);
    }

    /** A job's events, oldest first. */
    public org.openledger.studio.api.finetune.FineTuneLists.Events fineTuneEvents(String id) {
        return get("v1/fine_tuning/jobs/" + id + "/events", org.openledger.studio.api.finetune.FineTuneLists.Events.class);
    }

    /** What a job with this request would do and cost, without queueing it ({@code POST /v1/fine_tuning/estimate}). */
    public org.openledger.studio.api.finetune.FineTuneEstimate estimateFineTune(
            org.openledger.studio.api.finetune.FineTuneRequest request) {
        return post("v1/fine_tuning/estimate", request, org.openledger.studio.api.finetune.FineTuneEstimate.class);
    }

    /** Queues a cancelled or failed job again, to go on from its last checkpoint. */
    public org.openledger.studio.api.finetune.FineTuneJob resumeFineTuneJob(String id) {
        return post("v1/fine_tuning/jobs/" + id + "/resume", java.util.Map.of(),
                org.openledger.studio.api.finetune.FineTuneJob.class);
    }

    /** The checkpoints a job saved, newest first. */
    public org.openledger.studio.api.finetune.FineTuneLists.Checkpoints fineTuneCheckpoints(String id) {
        return get("v1/fine_tuning/jobs/" + id + "/checkpoints",
                org.openledger.studio.api.finetune.FineTuneLists.Checkpoints.class);
    }

    /** The Datanet rows a job trained on and held out. */
    public org.openledger.studio.api.finetune.FineTuneLists.Rows fineTuneRows(String id) {
        return get("v1/fine_tuning/jobs/" + id + "/rows", org.openledger.studio.api.finetune.FineTuneLists.Rows.class);
    }

    /** An adapter's files with their sizes and SHA-256 ({@code GET /v1/adapters/{id}}). */
    public org.openledger.studio.api.finetune.AdapterFiles adapterFiles(String adapterId) {
        return get("v1/adapters/" + adapterId, org.openledger.studio.api.finetune.AdapterFiles.class);
    }

    /** Streams one file of an adapter into {@code out}; the caller checks it against {@link #adapterFiles}. */
    public void downloadAdapterFile(String adapterId, String file, java.io.OutputStream out) {
        String path = "v1/adapters/" + adapterId + "/files/" + file;
        try (Response r = call(request(path))) {
            if (!r.isSuccessful()) {
                bodyText(r);
            }
            ResponseBody body = r.body();
            if (body != null) {
                body.byteStream().transferTo(out);
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Sends one file of an adapter being pushed to this node; {@code sha256} is checked by the node. */
    public org.openledger.studio.api.finetune.AdapterFiles uploadAdapterFile(String adapterId, String file,
                                                                            byte[] bytes, String sha256) {
        return put("v1/adapters/" + adapterId + "/files/" + file, Map.of("sha256", sha256),
                okhttp3.RequestBody.create(bytes, OCTETS), org.openledger.studio.api.finetune.AdapterFiles.class);
    }

    /** As above, streaming the file from disk (adapter weights may be gigabytes). */
    public org.openledger.studio.api.finetune.AdapterFiles uploadAdapterFile(String adapterId, String file,
                                                                            java.nio.file.Path source,
                                                                            String sha256) {
        return put("v1/adapters/" + adapterId + "/files/" + file, Map.of("sha256", sha256),
                okhttp3.RequestBody.create(source.toFile(), OCTETS),
                org.openledger.studio.api.finetune.AdapterFiles.class);
    }

    /** Makes a pushed adapter servable once every file it lists has arrived intact. */
    public org.openledger.studio.api.finetune.AdapterFiles commitAdapter(
            org.openledger.studio.api.finetune.AdapterFiles files) {
        return post("v1/adapters/" + files.id() + "/commit", files,
                org.openledger.studio.api.finetune.AdapterFiles.class);
    }

    /** The node's adapters with their tiers and counters ({@code GET /v1/adapters}); {@code tier} may be null. */
    public org.openledger.studio.api.adapters.AdapterList adapters(String tier) {
        HttpUrl.Builder url = resolve("v1/adapters").newBuilder();
        if (tier != null) {
            url.addQueryParameter("tier", tier);
        }
        try (Response r = call(request("v1/adapters").newBuilder().url(url.build()).build())) {
            return readJson(r, "v1/adapters", org.openledger.studio.api.adapters.AdapterList.class);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Serves an adapter folder that is on the node ({@code POST /v1/adapters}). */
    public org.openledger.studio.api.adapters.AdapterInfo registerAdapter(
            org.openledger.studio.api.adapters.AdapterRegistration registration) {
        return post("v1/adapters", registration, org.openledger.studio.api.adapters.AdapterInfo.class);
    }

    /** Removes an adapter from every tier and the node's disk ({@code DELETE /v1/adapters/{id}}). */
    public org.openledger.studio.api.adapters.AdapterDeleted deleteAdapter(String adapterId) {
        String path = "v1/adapters/" + adapterId;
        try (Response r = call(request(path).newBuilder().delete().build())) {
            return readJson(r, path, org.openledger.studio.api.adapters.AdapterDeleted.class);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** The node's queue depth and token counter, read from {@code /metrics}. */
    public org.openledger.studio.api.adapters.ServingLoad servingLoad() {
        return org.openledger.studio.api.adapters.ServingLoad.parse(metrics());
    }

    /** A whole chat completion. */
    public org.openledger.studio.api.openai.ChatCompletionResponse chat(
            org.openledger.studio.api.openai.ChatCompletionRequest request) {
        return post("v1/chat/completions", request, org.openledger.studio.api.openai.ChatCompletionResponse.class);
    }

    /**
     * Opens a streamed chat completion; read its chunks with {@link ChatStream#next()}, and close it to stop early
     * (closing from another thread cancels a blocked read).
     */
    public ChatStream streamChat(org.openledger.studio.api.openai.ChatCompletionRequest request) {
        okhttp3.Call call = streaming(post(request, "v1/chat/completions"));
        return new ChatStream(call, open(call));
    }

    /**
     * A job's events as the node sends them ({@code GET .../events?stream=true}): those so far, then each new one,
     * until the job ends ({@link EventStream#next()} then returns null). Close it to stop following early.
     */
    public EventStream<org.openledger.studio.api.finetune.FineTuneEvent> followFineTuneEvents(String id) {
        Request r = request("v1/fine_tuning/jobs/" + id + "/events");
        okhttp3.Call call = streaming(r.newBuilder().url(r.url().newBuilder().addQueryParameter("stream", "true")
                .build()).build());
        return new EventStream<>(call, open(call), org.openledger.studio.api.finetune.FineTuneEvent.class);
    }

    /** A call that may stay open for as long as the node streams, reading at least every five minutes. */
    private okhttp3.Call streaming(Request r) {
        return http.newBuilder().readTimeout(java.time.Duration.ofMinutes(5)).callTimeout(java.time.Duration.ZERO)
                .build().newCall(r.newBuilder().header("Accept", "text/event-stream").build());
    }

    /** The response of a streaming call whose status is a success; otherwise the node's error as an exception. */
    private Response open(okhttp3.Call call) {
        try {
            Response r = call.execute();
            if (!r.isSuccessful()) {
                try (r) {
                    bodyText(r);
                }
            }
            return r;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** The JSON answer of a successful call as {@code type}, or the call's failure as an exception. */
    private <T> T readJson(Response r, String path, JavaType type) throws IOException {
        String text = bodyText(r);
        try {
            return Wire.mapper().readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new NodeClientException(NodeClientException.Kind.BAD_RESPONSE, r.code(), null,
                    "The node at " + base + " answered " + path + " with something that is not the studio protocol", e);
        }
    }

    private <T> T readJson(Response r, String path, Class<T> type) throws IOException {
        return readJson(r, path, Wire.mapper().getTypeFactory().constructType(type));
    }

    /** POST a JSON body and map the JSON answer to {@code type}. */
    public <T> T post(String path, Object body, Class<T> type) {
        try (Response r = call(post(body, path))) {
            return readJson(r, path, type);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private Request post(Object body, String path) {
        byte[] json;
        try {
            json = Wire.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request is not serialisable: " + e.getOriginalMessage(), e);
        }
        return request(path).newBuilder()
                .post(okhttp3.RequestBody.create(json, okhttp3.MediaType.get("application/json"))).build();
    }

    /** PUT raw bytes (e.g. an upload chunk) and map the JSON answer to {@code type}. */
    public <T> T put(String path, Map<String, String> query, byte[] body, String contentType, Class<T> type) {
        return put(path, query, okhttp3.RequestBody.create(body, okhttp3.MediaType.get(contentType)), type);
    }

    private <T> T put(String path, Map<String, String> query, okhttp3.RequestBody body, Class<T> type) {
        HttpUrl.Builder url = resolve(path).newBuilder();
        query.forEach(url::addQueryParameter);
        Request req = request(path).newBuilder().url(url.build()).put(body).build();
        try (Response r = call(req)) {
            return readJson(r, path, type);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** The node's metrics in Prometheus text format. */
    public String metrics() {
        try (Response r = call(request("metrics"))) {
            return bodyText(r);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** GET a JSON resource below the base URL and map it to {@code type}. */
    public <T> T get(String path, Class<T> type) {
        return get(path, Wire.mapper().getTypeFactory().constructType(type));
    }

    /** GET a JSON resource below the base URL and map it to {@code type}. */
    public <T> T get(String path, JavaType type) {
        try (Response r = call(request(path))) {
            return readJson(r, path, type);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private Request request(String path) {
        Request.Builder b = new Request.Builder().url(resolve(path)).header("Accept", "application/json");
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    private HttpUrl resolve(String path) {
        HttpUrl.Builder b = base.newBuilder();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                b.addPathSegment(segment);
            }
        }
        return b.build();
    }

    private Response call(Request request) throws IOException {
        return http.newCall(request).execute();
    }

    /** Reads the body of a successful response, or turns an error response into an exception. */
    private String bodyText(Response r) throws IOException {
        ResponseBody body = r.body();
        String text = body == null ? "" : body.string();
        if (r.isSuccessful()) {
            return text;
        }
        ApiError error = null;
        try {
            error = Wire.mapper().readValue(text, ApiError.class);
        } catch (JsonProcessingException ignored) {
            // not our protocol's error body; reported below by status alone
        }
        String detail = error != null && error.error() != null ? error.error().message() : "HTTP " + r.code();
        if (r.code() == 401 || r.code() == 403) {
            throw new NodeClientException(NodeClientException.Kind.UNAUTHORIZED, r.code(), error,
                    "The node at " + base + " refused the token: " + detail, null);
        }
        throw new NodeClientException(NodeClientException.Kind.HTTP_ERROR, r.code(), error,
                "The node at " + base + " answered " + r.code() + ": " + detail, null);
    }

    private NodeClientException unreachable(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.openledger.studio.api.tls.CertificatePin.Mismatch m) {
                return new NodeClientException(NodeClientException.Kind.UNREACHABLE, 0, null,
                        "Refusing the node at " + base + ": " + m.getMessage(), e);
            }
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new NodeClientException(NodeClientException.Kind.UNREACHABLE, 0, null,
                "Cannot reach the node at " + base + ": " + why, e);
    }
}
