package org.openledger.studio.app.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.adapters.AdapterInfo;
import org.openledger.studio.api.adapters.AdapterList;
import org.openledger.studio.api.openai.ModelList;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.model.BundledModel;

/**
 * {@code studio bench serve --soak-minutes}: the tiered node of {@code studio bench serve} (same options, same
 * adapters, same clients and Zipf traffic) run for minutes while adapters are deleted and registered under the
 * traffic ({@link AdapterChurn}); the node's resident memory, threads and descriptors sampled from its {@code
 * /metrics} as {@code studio bench load} samples them. After the load the churn stops, the node is left idle to
 * settle, and every deleted adapter is checked to be gone: unlisted, and a request for it a 404.
 */
public final class SoakRun {

    /**
     * What to run: the serving settings (their window is the soak, their largest adapter count its K), the churn
     * rate (deletions a minute, each followed by a registration), and what counts as a leak, as in {@link LoadRun}.
     */
    public record Settings(ServeRun.Settings serve, int churnPerMinute, Duration settle, int threadTolerance,
                           int fdTolerance, double rssGrowth, long rssSlackBytes) {

        int adapters() {
            return serve.adapterCounts().stream().mapToInt(Integer::intValue).max().orElseThrow();
        }
    }

    /** Deleted adapters checked afterwards with a request each, at most (all are checked against the lists). */
    private static final int DELETED_REQUESTS = 20;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(2);

    private final Settings settings;
    private final Consumer<String> progress;

    public SoakRun(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public SoakReport run(Path work) throws Exception {
        ServeRun.Settings s = settings.serve();
        Path model = s.model() != null ? s.model() : new BundledModel().extractTo(work.resolve("models"));
        ModelConfig config = ModelConfig.read(model);
        Map<String, Double> noEnd = ServeRun.noEnd(config, s.maxTokens());
        int k = settings.adapters();
        double loadBefore = ServeReport.loadAverage();
        progress.accept("starting the node");
        try (NodeProcess node = NodeProcess.start(work.resolve("tiered"), s.nodeHeap(),
                ServeRun.tieredOptions(s, model))) {
            // the clients take 127.0.0.2 onwards, 16 to an address; the sampler and the churn the next one
            int groups = (s.clients() + LoadRun.CLIENTS_PER_ADDRESS - 1) / LoadRun.CLIENTS_PER_ADDRESS;
            OkHttpClient control = LoadRun.client(InetAddress.getByAddress(new byte[]{127, 0, 0, (byte) (2 + groups)}));
            NodeClient api = new NodeClient(control, node.url(), node.token());
            NodeGauges gauges = new NodeGauges(control, node.url(), node.token());
            BenchAdapters adapters = new BenchAdapters(config, s.rank(), s.seed(), work.resolve("staging"));
            progress.accept("registering " + k + " adapters");
            adapters.registerUpTo(k, api);
            NodeGauges.Scrape fresh = gauges.scrape();
            AdapterChurn churn = new AdapterChurn(k, s.zipf(), adapters, api, s.seed());
            ServeLoad load = new ServeLoad(node.url(), node.token(), s.clients(), s.maxTokens(), noEnd);

            List<NodeGauges.Scrape> samples = Collections.synchronizedList(new ArrayList<>());
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(LoadRun.named("soak-sampler"));
            ScheduledExecutorService churner = Executors.newSingleThreadScheduledExecutor(LoadRun.named("soak-churn"));
            long start = System.nanoTime();
            long from = start + s.warmup().toNanos();
            long to = from + s.window().toNanos();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    samples.add(gauges.scrape());
                } catch (IOException e) {
                    // a missed sample; the requests' own answers are what counts
                }
            }, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            if (settings.churnPerMinute() > 0) {
                churner.scheduleAtFixedRate(() -> {
                    if (System.nanoTime() < to) {
                        churn.tick();
                    }
                }, s.warmup().toMillis(), Math.max(1, 60_000 / settings.churnPerMinute()), TimeUnit.MILLISECONDS);
            }
            progress.accept(String.format(java.util.Locale.ROOT, "%d clients over %d adapters for %.1f min after a "
                            + "%d s warm-up, %d deletions and registrations a minute", s.clients(), k,
                    s.window().toMillis() / 60_000.0, s.warmup().toSeconds(), settings.churnPerMinute()));
            ServeLoad.Stats stats = load.run(s.warmup(), s.window(), s.seed(), churn.model());
            long loadEnded = System.nanoTime();
            churner.shutdown();
            if (!churner.awaitTermination(2, TimeUnit.MINUTES)) {
                throw new IOException("the churn did not finish its last round within 2 minutes");
            }
            load.close();
            List<NodeGauges.Scrape> during = new ArrayList<>();
            synchronized (samples) {
                for (NodeGauges.Scrape x : samples) {
                    if (x.atNanos() >= from && x.atNanos() <= loadEnded) {
                        during.add(x);
                    }
                }
            }
            NodeGauges.Scrape warm = during.isEmpty() ? gauges.scrape() : during.get(0);
            progress.accept("load done; idle until threads and descriptors settle (at most "
                    + settings.settle().toSeconds() + " s)");
            NodeGauges.Scrape after = gauges.settle(warm, settings.settle(), settings.threadTolerance(),
                    settings.fdTolerance());
            sampler.shutdownNow();
            AdapterChurn.Summary done = churn.summary();
            AdapterList end = api.adapters(null);
            List<String> stillServed = stillServed(done.deleted(), api.models(), end, control, node.url(),
                    node.token());
            if (!node.alive()) {
                throw new IOException("the node died during the run; see " + node.log());
            }
            return new SoakReport(settings, node.pid(), stats, done, fresh, warm, after, during, end.tiers(),
                    end.data().size(), stillServed, loadBefore, ServeReport.loadAverage());
        }
    }

    /**
     * The deleted adapters the node still knows: listed by {@code /v1/models} or {@code /v1/adapters}, or (for up to
     * {@value #DELETED_REQUESTS} of them) answering a completion with anything but 404.
     */
    private static List<String> stillServed(List<String> deleted, ModelList models, AdapterList adapters,
                                            OkHttpClient http, URI base, String token) throws IOException {
        Set<String> listed = new HashSet<>();
        models.data().forEach(m -> listed.add(m.id()));
        adapters.data().stream().map(AdapterInfo::id).forEach(listed::add);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < deleted.size(); i++) {
            String id = deleted.get(i);
            if (listed.contains(id)) {
                out.add(id + " (listed)");
            } else if (i < DELETED_REQUESTS) {
                int status = completionStatus(http, base, token, id);
                if (status != 404) {
                    out.add(id + " (a completion answered " + status + ")");
                }
            }
        }
        return out;
    }

    private static int completionStatus(OkHttpClient http, URI base, String token, String model) throws IOException {
        String body = Wire.mapper().createObjectNode().put("model", model).put("prompt", "Hello").put("max_tokens", 1)
                .toString();
        try (Response r = http.newCall(new Request.Builder().url(base.resolve("/v1/completions").toString())
                .header("Authorization", "Bearer " + token)
                .post(RequestBody.create(body, MediaType.get("application/json"))).build()).execute()) {
            r.body().string();
            return r.code();
        }
    }
}
