package org.openledger.studio.app.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.Wire;

/**
 * One load run against a node: a warm-up, then every client at once until the end, the rude clients in the second
 * half only; the node's threads, descriptors and resident memory sampled throughout from its {@code /metrics};
 * then the clients stop, the node is left idle to settle, and its figures are compared with those after the
 * warm-up (when its pools had grown to their working size).
 */
public final class LoadRun {

    /** What to run and what counts as a leak. */
    public record Settings(int clients, Duration duration, Duration warmup, int maxTokens, Duration settle,
                           int threadTolerance, int fdTolerance, double rssGrowth, long rssSlackBytes,
                           String nodeHeap) {
    }

    /** Clients from one loopback address each at most (the node admits 32 requests at once per address). */
    static final int CLIENTS_PER_ADDRESS = 16;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(2);
    static final Duration FINETUNE_PAUSE = Duration.ofSeconds(15);

    private final Settings settings;
    private final Tally tally = new Tally();
    private volatile boolean running = true;
    private volatile boolean rudeRunning = true;

    public LoadRun(Settings settings) {
        this.settings = settings;
    }

    /**
     * Starts a node of its own in {@code dir} (a child JVM), runs the load on it, stops it. The node's per-token rate
     * limit is off: all clients share one token, and at 100/s half their requests were 429s (the slow reader's too,
     * which then held nothing and proved nothing); the limit has tests of its own.
     */
    public LoadReport runOnOwnNode(Path dir) throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, settings.nodeHeap(), List.of("--rate-limit", "0"))) {
            LoadReport report = run(node.url(), node.token(), dir, node.pid());
            if (!node.alive()) {
                throw new IOException("the node died during the run; see " + node.log());
            }
            return report;
        }
    }

    /** The kinds each client runs, by its index: the rude clients, fine-tuning and uploads first, then the rest. */
    static List<Kind> plan(int clients) {
        List<Kind> out = new ArrayList<>();
        if (clients >= 8) {
            out.add(Kind.SLOW_READER);
            out.add(Kind.STREAM_DROPPED);
            out.add(Kind.UNSTREAMED_DROPPED);
        }
        for (int i = 0; i < Math.max(1, clients / 32); i++) {
            out.add(Kind.FINETUNE_CREATE);
        }
        for (int i = 0; i < Math.max(1, clients / 32); i++) {
            out.add(Kind.UPLOAD);
        }
        Kind[] rest = {Kind.COMPLETION, Kind.CHAT_STREAM, Kind.MODELS, Kind.CHAT, Kind.COMPLETION_STREAM};
        for (int i = 0; out.size() < clients; i++) {
            out.add(rest[i % rest.length]);
        }
        return out;
    }

    /** Runs the load on the node at {@code base}. @param pid the node's pid when known (report only), else -1 */
    public LoadReport run(URI base, String token, Path dir, long pid) throws Exception {
        boolean loopback = InetAddress.getByName(base.getHost()).isLoopbackAddress();
        List<OkHttpClient> https = new ArrayList<>();
        int groups = (settings.clients() + CLIENTS_PER_ADDRESS - 1) / CLIENTS_PER_ADDRESS + 1;
        for (int g = 0; g < groups; g++) {
            https.add(client(loopback ? InetAddress.getByAddress(new byte[]{127, 0, 0, (byte) (2 + g)}) : null));
        }
        OkHttpClient control = https.get(groups - 1);
        NodeGauges gauges = new NodeGauges(control, base, token);
        int longTokens = longTokens(new NodeClient(control, base, token));
        NodeGauges.Scrape fresh = gauges.scrape();

        List<Kind> plan = plan(settings.clients());
        List<NodeGauges.Scrape> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(named("load-sampler"));
        ExecutorService pool = Executors.newFixedThreadPool(plan.size(), named("load-client"));
        long start = System.nanoTime();
        long warmEnd = start + settings.warmup().toNanos();
        long end = warmEnd + settings.duration().toNanos();
        long turbulentFrom = warmEnd + settings.duration().toNanos() / 2;
        sampler.scheduleAtFixedRate(() -> {
            try {
                samples.add(gauges.scrape());
            } catch (IOException e) {
                // a missed sample; the failures of the load's own requests are what counts
            }
        }, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        List<Future<?>> normal = new ArrayList<>();
        List<Future<?>> rude = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            Kind kind = plan.get(i);
            OkHttpClient http = https.get(i / CLIENTS_PER_ADDRESS);
            InetAddress from = loopback ? InetAddress.getByAddress(new byte[]{127, 0, 0, (byte) (2 + groups)}) : null;
            int index = i;
            Runnable client = kind.rude()
                    ? () -> rude(kind, new RudeClients(base, token, from, tally, longTokens), turbulentFrom)
                    : () -> behave(kind, index, http, base, token, dir);
            (kind.rude() ? rude : normal).add(pool.submit(client));
        }
        waitUntil(warmEnd);
        tally.startCounting();
        NodeGauges.Scrape warm = gauges.scrape();
        waitUntil(turbulentFrom);
        tally.turbulent();
        waitUntil(end);
        running = false;
        for (Future<?> f : normal) {
            f.get(5, TimeUnit.MINUTES);
        }
        // the slow reader still reads: its answer must hold neither a row nor a worker by now
        Thread.sleep(2_000);
        NodeGauges.Scrape withSlowReader = gauges.scrape();
        rudeRunning = false;
        for (Future<?> f : rude) {
            f.get(2, TimeUnit.MINUTES);
        }
        long loadEnded = System.nanoTime();
        pool.shutdown();
        for (OkHttpClient h : https) {
            h.connectionPool().evictAll();
        }
        NodeGauges.Scrape after = gauges.settle(warm, settings.settle(), settings.threadTolerance(),
                settings.fdTolerance());
        sampler.shutdownNow();
        List<NodeGauges.Scrape> during = new ArrayList<>();
        synchronized (samples) {
            for (NodeGauges.Scrape s : samples) {
                if (s.atNanos() >= warmEnd && s.atNanos() <= loadEnded) {
                    during.add(s);
                }
            }
        }
        return new LoadReport(settings, pid, tally.summary(), tally.failures(), fresh, warm, withSlowReader, after,
                during, (loadEnded - warmEnd) / 1e9);
    }

    private void behave(Kind kind, int index, OkHttpClient http, URI base, String token, Path dir) {
        Random rnd = new Random(index * 7919L + 1);
        Clients clients = new Clients(http, base, token, tally, settings.maxTokens());
        try {
            switch (kind) {
                case FINETUNE_CREATE -> {
                    // one small job at a time, then a pause: a node trains one job at a time, and each finished job
                    // adds an adapter and an influence index, so the jobs are paced to stay a part of the load
                    while (running) {
                        clients.fineTune(rnd);
                        pause(FINETUNE_PAUSE);
                    }
                }
                case UPLOAD -> {
                    Path own = dir.resolve("uploader-" + index);
                    Files.createDirectories(own);
                    try (Clients.Uploader up = new Clients.Uploader(own, index, new NodeClient(http, base, token),
                            tally)) {
                        while (running) {
                            up.uploadOne(rnd);
                            pause(Duration.ofMillis(200));
                        }
                    }
                }
                case MODELS -> {
                    Kind[] reads = {Kind.MODELS, Kind.HEALTH, Kind.ATTRIBUTION};
                    for (int i = 0; running; i++) {
                        clients.read(reads[i % reads.length]);
                        Thread.sleep(20);
                    }
                }
                default -> {
                    while (running) {
                        clients.inference(kind, rnd);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            tally.record(kind, 0, 0, "client stopped: " + e);
        }
    }

    private void rude(Kind kind, RudeClients client, long from) {
        try {
            waitUntil(from);
            while (rudeRunning && running || kind == Kind.SLOW_READER && rudeRunning) {
                switch (kind) {
                    case SLOW_READER -> client.slowReader(() -> rudeRunning);
                    case STREAM_DROPPED -> client.leaveStream();
                    default -> client.leaveUnstreamed();
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** max_tokens for the rude clients' requests: long answers, within the served model's context. */
    private static int longTokens(NodeClient node) {
        JsonNode models = Wire.mapper().valueToTree(node.models());
        for (JsonNode m : models.path("data")) {
            if (m.path("kind").asText().equals("base") || m.path("parent").isNull() || m.path("parent").isMissingNode()) {
                int context = m.path("max_model_len").asInt(128);
                return Math.max(8, Math.min(200, context - 16));
            }
        }
        throw new IllegalStateException("the node serves no model: the load needs completions");
    }

    /** Sleeps up to {@code d}, less when the run ends. */
    private void pause(Duration d) throws InterruptedException {
        long until = System.nanoTime() + d.toNanos();
        while (running && System.nanoTime() < until) {
            Thread.sleep(100);
        }
    }

    private static void waitUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(200, left / 1_000_000 + 1));
        }
    }

    /** HTTP for one group of clients: its own pool of connections, from its own loopback address. */
    static OkHttpClient client(InetAddress from) {
        OkHttpClient.Builder b = NodeClient.defaultHttp().newBuilder().readTimeout(Duration.ofMinutes(5))
                .callTimeout(Duration.ZERO).connectionPool(new ConnectionPool(CLIENTS_PER_ADDRESS * 2, 1,
                        TimeUnit.MINUTES));
        if (from != null) {
            b.socketFactory(new BoundSockets(from));
        }
        return b.build();
    }

    /** Sockets bound to one local address before they connect. */
    private static final class BoundSockets extends SocketFactory {
        private final InetAddress from;

        BoundSockets(InetAddress from) {
            this.from = from;
        }

        @Override
        public Socket createSocket() throws IOException {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(from, 0));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return createSocket(address, port);
        }
    }

    static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
