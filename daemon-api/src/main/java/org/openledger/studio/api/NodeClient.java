package org.openledger.studio.api;

import static org.openledger.studio.api.NodeTransport.query;
import static org.openledger.studio.api.NodeTransport.type;

import com.fasterxml.jackson.databind.JavaType;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import org.openledger.studio.api.adapters.AdapterDeleted;
import org.openledger.studio.api.adapters.AdapterInfo;
import org.openledger.studio.api.adapters.AdapterList;
import org.openledger.studio.api.adapters.AdapterRegistration;
import org.openledger.studio.api.adapters.AdaptersApi;
import org.openledger.studio.api.adapters.ServingLoad;
import org.openledger.studio.api.attribution.AttributionApi;
import org.openledger.studio.api.attribution.AttributionList;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.AttributionRequest;
import org.openledger.studio.api.attribution.IndexRequest;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.api.attribution.InfluenceIndexList;
import org.openledger.studio.api.attribution.Pricing;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.chain.FaucetRequest;
import org.openledger.studio.api.chain.FaucetResult;
import org.openledger.studio.api.chain.WalletApi;
import org.openledger.studio.api.finetune.AdapterFiles;
import org.openledger.studio.api.finetune.FineTuneApi;
import org.openledger.studio.api.finetune.FineTuneEstimate;
import org.openledger.studio.api.finetune.FineTuneEvent;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneLists;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.api.openai.ChatCompletionRequest;
import org.openledger.studio.api.openai.ChatCompletionResponse;
import org.openledger.studio.api.openai.ModelList;
import org.openledger.studio.api.openai.PlaygroundApi;
import org.openledger.studio.api.registry.RegistryApi;
import org.openledger.studio.api.registry.RegistryInfo;
import org.openledger.studio.api.registry.UploadStatus;
import org.openledger.studio.api.rewards.CreditRequest;
import org.openledger.studio.api.rewards.EarningsApi;
import org.openledger.studio.api.rewards.RewardCredits;
import org.openledger.studio.api.rewards.RewardEpoch;
import org.openledger.studio.api.rewards.RewardEpochs;
import org.openledger.studio.api.rewards.RewardProof;

/**
 * The studio's client of a node, embedded or remote: one code path for both. Each method is one endpoint of the
 * node's API in the protocol's records; how a call travels and how it fails is {@link NodeTransport}'s. Thread-safe;
 * share one {@link OkHttpClient} between clients (connection pool, dispatcher) through
 * {@link #NodeClient(OkHttpClient, URI, String)}.
 */
public final class NodeClient implements NodesApi, WalletApi, EarningsApi, AttributionApi, PlaygroundApi,
        FineTuneApi, AdaptersApi {

    private static final MediaType OCTETS = MediaType.get("application/octet-stream");

    private final NodeTransport transport;

    /**
     * @param http  a shared OkHttp client
     * @param base  the node's base URL, e.g. {@code http://127.0.0.1:8765}
     * @param token the node's access token, or null for none
     */
    public NodeClient(OkHttpClient http, URI base, String token) {
        this.transport = new NodeTransport(http, HttpUrl.get(base.toString()), token);
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
        return transport.base().uri();
    }

    // ---- the node itself

    public Health health() {
        return get("health", Health.class);
    }

    public VersionInfo version() {
        return get("v1/version", VersionInfo.class);
    }

    public NodeInfo node() {
        return get("v1/node", NodeInfo.class);
    }

    /** The node's metrics in Prometheus text format. */
    public String metrics() {
        return transport.text("metrics");
    }

    // ---- chain and rewards

    /** The chain the node works with: network, chain id, RPC URL, state and contract addresses. */
    public ChainInfo chain() {
        return get("v1/chain", ChainInfo.class);
    }

    /** Test OPEN (and gas money) for {@code address} from the node's local devnet. */
    public FaucetResult faucet(String address) {
        return post("v1/chain/faucet", new FaucetRequest(address, null), FaucetResult.class);
    }

    /** Adds reward credits the node owes accounts ({@code POST /v1/rewards/credits}); answers the credits kept. */
    public RewardCredits addRewardCredits(CreditRequest request) {
        return post("v1/rewards/credits", request, RewardCredits.class);
    }

    /** The node's reward credits, newest first; only {@code account}'s when it is not null. */
    public RewardCredits rewardCredits(String account) {
        return transport.get("v1/rewards/credits", query("account", account), type(RewardCredits.class));
    }

    /** Settles the credits into a new epoch and posts its root on chain ({@code POST /v1/rewards/epochs}). */
    public RewardEpoch settleRewards() {
        return post("v1/rewards/epochs", Map.of(), RewardEpoch.class);
    }

    /** Every reward epoch the node recorded, newest first. */
    public RewardEpochs rewardEpochs() {
        return get("v1/rewards/epochs", RewardEpochs.class);
    }

    /** {@code account}'s claim against the newest posted epoch: cumulative, proof, already claimed, claimable. */
    public RewardProof rewardProof(String account) {
        return get("v1/rewards/proof/" + account, RewardProof.class);
    }

    // ---- attribution and pricing

    /** {@code POST /v1/attribution}: where a given answer came from, computed now. */
    public AttributionRecord attribute(AttributionRequest request) {
        return post("v1/attribution", request, AttributionRecord.class);
    }

    /** {@code GET /v1/attribution/{id}}: a stored attribution record (pending, done or failed). */
    public AttributionRecord attribution(String id) {
        return get("v1/attribution/" + id, AttributionRecord.class);
    }

    /**
     * {@code GET /v1/attribution}: recent records, newest first, optionally only those of a model, or crediting a
     * contributor or a Datanet (null: any).
     */
    public AttributionList attributions(String model, String contributor, String datanet, int limit) {
        return transport.get("v1/attribution", query("limit", Integer.toString(limit), "model", given(model),
                "contributor", given(contributor), "datanet", given(datanet)), type(AttributionList.class));
    }

    /** {@code GET /v1/pricing}. */
    public Pricing pricing() {
        return get("v1/pricing", Pricing.class);
    }

    /** {@code POST /v1/pricing}: sets a model's price (model null: the default); answers the whole pricing. */
    public Pricing setPrice(Pricing.Price p) {
        return post("v1/pricing", p, Pricing.class);
    }

    /** {@code GET /v1/attribution/indexes}. */
    public InfluenceIndexList influenceIndexes() {
        return get("v1/attribution/indexes", InfluenceIndexList.class);
    }

    /** {@code POST /v1/attribution/indexes}: builds (or rebuilds) an adapter's influence index. */
    public InfluenceIndexInfo buildInfluenceIndex(String adapter) {
        return post("v1/attribution/indexes", new IndexRequest(adapter), InfluenceIndexInfo.class);
    }

    // ---- Datanets

    /** The finished contributions the node holds for the Datanet with this id ({@code GET /v1/datanets/{id}/contributions}). */
    @Override
    public List<UploadStatus> datanetContributions(BigInteger datanetId) {
        return registry().contributions(datanetId).contributions();
    }

    /** The domain the node's registry checks contribution signatures against ({@code GET /v1/registry}). */
    public RegistryInfo registryInfo() {
        return registry().info();
    }

    /** The node's Datanet registry endpoints, in the protocol's records. */
    public RegistryApi registry() {
        return new RegistryApi(this);
    }

    // ---- models and inference

    public ModelList models() {
        return get("v1/models", ModelList.class);
    }

    /** The node's queue depth and token counter, read from {@code /metrics}. */
    public ServingLoad servingLoad() {
        return ServingLoad.parse(metrics());
    }

    /** A whole chat completion. */
    public ChatCompletionResponse chat(ChatCompletionRequest request) {
        return post("v1/chat/completions", request, ChatCompletionResponse.class);
    }

    /**
     * Opens a streamed chat completion; read its chunks with {@link ChatStream#next()}, and close it to stop early
     * (closing from another thread cancels a blocked read).
     */
    public ChatStream streamChat(ChatCompletionRequest request) {
        Call call = transport.streamingPost("v1/chat/completions", request);
        return new ChatStream(call, transport.open(call));
    }

    // ---- fine-tuning

    /** Queues a fine-tuning job ({@code POST /v1/fine_tuning/jobs}). */
    public FineTuneJob createFineTuneJob(FineTuneRequest request) {
        return post("v1/fine_tuning/jobs", request, FineTuneJob.class);
    }

    /** The node's fine-tuning jobs, newest first. */
    public FineTuneLists.Jobs fineTuneJobs() {
        return get("v1/fine_tuning/jobs", FineTuneLists.Jobs.class);
    }

    public FineTuneJob fineTuneJob(String id) {
        return get("v1/fine_tuning/jobs/" + id, FineTuneJob.class);
    }

    public FineTuneJob cancelFineTuneJob(String id) {
        return post("v1/fine_tuning/jobs/" + id + "/cancel", Map.of(), FineTuneJob.class);
    }

    /** A job's events, oldest first. */
    public FineTuneLists.Events fineTuneEvents(String id) {
        return get("v1/fine_tuning/jobs/" + id + "/events", FineTuneLists.Events.class);
    }

    /**
     * A job's events as the node sends them ({@code GET .../events?stream=true}): those so far, then each new one,
     * until the job ends ({@link EventStream#next()} then returns null). Close it to stop following early.
     */
    public EventStream<FineTuneEvent> followFineTuneEvents(String id) {
        Call call = transport.streamingGet("v1/fine_tuning/jobs/" + id + "/events", query("stream", "true"));
        return new EventStream<>(call, transport.open(call), FineTuneEvent.class);
    }

    /** What a job with this request would do and cost, without queueing it ({@code POST /v1/fine_tuning/estimate}). */
    public FineTuneEstimate estimateFineTune(FineTuneRequest request) {
        return post("v1/fine_tuning/estimate", request, FineTuneEstimate.class);
    }

    /** Queues a cancelled or failed job again, to go on from its last checkpoint. */
    public FineTuneJob resumeFineTuneJob(String id) {
        return post("v1/fine_tuning/jobs/" + id + "/resume", Map.of(), FineTuneJob.class);
    }

    /** The checkpoints a job saved, newest first. */
    public FineTuneLists.Checkpoints fineTuneCheckpoints(String id) {
        return get("v1/fine_tuning/jobs/" + id + "/checkpoints", FineTuneLists.Checkpoints.class);
    }

    /** The Datanet rows a job trained on and held out. */
    public FineTuneLists.Rows fineTuneRows(String id) {
        return get("v1/fine_tuning/jobs/" + id + "/rows", FineTuneLists.Rows.class);
    }

    // ---- adapters: tiers, registration, files

    /** The node's adapters with their tiers and counters ({@code GET /v1/adapters}); {@code tier} may be null. */
    public AdapterList adapters(String tier) {
        return transport.get("v1/adapters", query("tier", tier), type(AdapterList.class));
    }

    /** Serves an adapter folder that is on the node ({@code POST /v1/adapters}). */
    public AdapterInfo registerAdapter(AdapterRegistration registration) {
        return post("v1/adapters", registration, AdapterInfo.class);
    }

    /** Removes an adapter from every tier and the node's disk ({@code DELETE /v1/adapters/{id}}). */
    public AdapterDeleted deleteAdapter(String adapterId) {
        return transport.delete("v1/adapters/" + adapterId, AdapterDeleted.class);
    }

    /** An adapter's files with their sizes and SHA-256 ({@code GET /v1/adapters/{id}}). */
    public AdapterFiles adapterFiles(String adapterId) {
        return get("v1/adapters/" + adapterId, AdapterFiles.class);
    }

    /** Streams one file of an adapter into {@code out}; the caller checks it against {@link #adapterFiles}. */
    public void downloadAdapterFile(String adapterId, String file, OutputStream out) {
        transport.download("v1/adapters/" + adapterId + "/files/" + file, out);
    }

    /** Sends one file of an adapter being pushed to this node; {@code sha256} is checked by the node. */
    public AdapterFiles uploadAdapterFile(String adapterId, String file, byte[] bytes, String sha256) {
        return transport.put("v1/adapters/" + adapterId + "/files/" + file, Map.of("sha256", sha256),
                RequestBody.create(bytes, OCTETS), AdapterFiles.class);
    }

    /** As above, streaming the file from disk (adapter weights may be gigabytes). */
    public AdapterFiles uploadAdapterFile(String adapterId, String file, Path source, String sha256) {
        return transport.put("v1/adapters/" + adapterId + "/files/" + file, Map.of("sha256", sha256),
                RequestBody.create(source.toFile(), OCTETS), AdapterFiles.class);
    }

    /** Makes a pushed adapter servable once every file it lists has arrived intact. */
    public AdapterFiles commitAdapter(AdapterFiles files) {
        return post("v1/adapters/" + files.id() + "/commit", files, AdapterFiles.class);
    }

    // ---- any endpoint (the registry's, and callers of endpoints without a method here)

    /** POST a JSON body and map the JSON answer to {@code type}. */
    public <T> T post(String path, Object body, Class<T> type) {
        return transport.post(path, body, type);
    }

    /** PUT raw bytes (e.g. an upload chunk) and map the JSON answer to {@code type}. */
    public <T> T put(String path, Map<String, String> query, byte[] body, String contentType, Class<T> type) {
        return transport.put(path, query, RequestBody.create(body, MediaType.get(contentType)), type);
    }

    /** GET a JSON resource below the base URL and map it to {@code type}. */
    public <T> T get(String path, Class<T> type) {
        return get(path, type(type));
    }

    /** GET a JSON resource below the base URL and map it to {@code type}. */
    public <T> T get(String path, JavaType type) {
        return transport.get(path, Map.of(), type);
    }

    /** A filter's value, or null (no filter) when it is blank. */
    private static String given(String filter) {
        return filter == null || filter.isBlank() ? null : filter;
    }
}
