package org.openledger.studio.app.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.openledger.studio.api.Wire;

/**
 * One point of {@code studio bench serve}: {@code clients} closed-loop clients, each sending one streamed completion
 * after another (the next as soon as the last has ended) for a warm-up and then the measured window. A request's
 * model is drawn per request ({@code model}, from the client's own seeded random source), so the traffic over
 * adapters is the same for every server the point is run against. Throughput counts the completion tokens of the
 * requests that ended inside the window (in a steady state, as many tokens as were generated in it).
 */
final class ServeLoad {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final List<String> PROMPTS = List.of("Once upon a time", "The little cat", "In the morning the",
            "Call me Ishmael.", "The state of the union is", "A fox ran to the river and");

    /**
     * What was measured: latencies in ms (time to first token, and send to the end of the stream), tokens/s per
     * request's decode, answers by kind. {@code notFound} counts clean 404s (the model does not exist), {@code
     * clientErrors} every other 4xx but 429; {@code incomplete} counts 200 streams cut short (no usage chunk, no
     * {@code [DONE]}, fewer tokens than asked) and refusals without an error body, {@code ioErrors} requests with no
     * answer at all. Throughput, latencies and the 2xx, 404, 429 and other 4xx counts are of the requests that ended
     * in the window; 5xx, incomplete answers and transport failures are counted over the whole run, warm-up included.
     */
    record Stats(double seconds, long tokens, int requests, List<Double> ttftMs, List<Double> latencyMs,
                 List<Double> decodeTokensPerSecond, int serverErrors, int tooBusy, int notFound, int clientErrors,
                 int incomplete, int ioErrors, String firstFailure) {

        double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    /** One request: status 0 when no answer came; {@code complete} false for a cut-short stream or bare refusal. */
    private record Done(long startNs, long firstNs, long endNs, int status, boolean complete, int tokens,
                        String failure) {
    }

    private final List<OkHttpClient> https;
    private final URI base;
    private final String token;
    private final int clients;
    private final int maxTokens;
    private final Map<String, Double> logitBias;
    private volatile boolean running;

    /**
     * @param logitBias added to the request as OpenAI's logit_bias: the bench passes -100 on the model's end-of-text
     *                  tokens, so every answer runs to max_tokens and points compare equal amounts of work
     */
    ServeLoad(URI base, String token, int clients, int maxTokens, Map<String, Double> logitBias) throws IOException {
        this.base = base;
        this.token = token;
        this.clients = clients;
        this.maxTokens = maxTokens;
        this.logitBias = logitBias;
        boolean loopback = InetAddress.getByName(base.getHost()).isLoopbackAddress();
        this.https = new ArrayList<>();
        // the node admits a bounded number of requests at once per address: at most 16 clients share one
        int groups = (clients + LoadRun.CLIENTS_PER_ADDRESS - 1) / LoadRun.CLIENTS_PER_ADDRESS;
        for (int g = 0; g < groups; g++) {
            https.add(LoadRun.client(loopback ? InetAddress.getByAddress(new byte[]{127, 0, 0, (byte) (2 + g)}) : null));
        }
    }

    /** Runs the point. @param model the model a request names, drawn from the client's random source */
    Stats run(Duration warmup, Duration window, long seed, java.util.function.Function<SplittableRandom, String> model)
            throws Exception {
        running = true;
        List<Done> done = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients, LoadRun.named("serve-client"));
        long start = System.nanoTime();
        long from = start + warmup.toNanos();
        long to = from + window.toNanos();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            OkHttpClient http = https.get(c / LoadRun.CLIENTS_PER_ADDRESS);
            SplittableRandom rnd = new SplittableRandom(seed * 7919L + c);
            futures.add(pool.submit(() -> {
                while (running) {
                    Done d = once(http, model.apply(rnd), rnd);
                    done.add(d);
                    if (d.status() == 429) {
                        pause(1_000); // Retry-After: 1
                    }
                }
            }));
        }
        while (System.nanoTime() < to) {
            Thread.sleep(Math.max(1, Math.min(200, (to - System.nanoTime()) / 1_000_000)));
        }
        running = false;
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.MINUTES); // the requests still running end before the next point starts
        }
        pool.shutdown();
        return summarise(done, from, to);
    }

    private static Stats summarise(List<Done> all, long from, long to) {
        long tokens = 0;
        int requests = 0;
        int fiveXx = 0;
        int busy = 0;
        int missing = 0;
        int fourXx = 0;
        int cut = 0;
        int io = 0;
        String failure = null;
        List<Double> ttft = new ArrayList<>();
        List<Double> latency = new ArrayList<>();
        List<Double> decode = new ArrayList<>();
        synchronized (all) {
            for (Done d : all) {
                boolean inWindow = d.endNs() >= from && d.endNs() <= to;
                boolean failed = d.status() == 0 || !d.complete() || d.status() >= 500
                        || inWindow && d.status() / 100 == 4 && d.status() != 429 && d.status() != 404;
                if (failed && failure == null) {
                    failure = d.failure(); // the first real failure, not a clean 404 or 429
                }
                // failures count in the warm-up and after the window too: none is ever acceptable
                if (d.status() == 0) {
                    io++;
                } else if (!d.complete()) {
                    cut++;
                } else if (d.status() >= 500) {
                    fiveXx++;
                } else if (!inWindow) {
                    continue;
                } else if (d.status() / 100 == 2) {
                    requests++;
                    tokens += d.tokens();
                    ttft.add((d.firstNs() - d.startNs()) / 1e6);
                    latency.add((d.endNs() - d.startNs()) / 1e6);
                    if (d.tokens() > 1 && d.endNs() > d.firstNs()) {
                        decode.add((d.tokens() - 1) / ((d.endNs() - d.firstNs()) / 1e9));
                    }
                } else if (d.status() == 429) {
                    busy++;
                } else if (d.status() == 404) {
                    missing++;
                } else {
                    fourXx++; // in the window only, as a bench serve point always counted them
                }
            }
        }
        return new Stats((to - from) / 1e9, tokens, requests, ttft, latency, decode, fiveXx, busy, missing, fourXx, cut,
                io, failure);
    }

    /**
     * One streamed completion, read to its end: when its first chunk came, its token count from the usage chunk.
     * Complete means a 200 stream ending with its usage chunk and {@code [DONE]} after {@code max_tokens} tokens (end
     * of text is suppressed), or a refusal with an OpenAI error body (and {@code Retry-After} on a 429).
     */
    private Done once(OkHttpClient http, String model, SplittableRandom rnd) {
        ObjectNode body = Wire.mapper().createObjectNode().put("model", model)
                .put("prompt", PROMPTS.get(rnd.nextInt(PROMPTS.size()))).put("max_tokens", maxTokens)
                .put("temperature", 0.8).put("seed", rnd.nextInt(1_000_000)).put("stream", true);
        ObjectNode bias = body.putObject("logit_bias");
        logitBias.forEach(bias::put);
        Request request = new Request.Builder().url(base.resolve("/v1/completions").toString())
                .header("Authorization", "Bearer " + token).post(RequestBody.create(body.toString(), JSON)).build();
        long start = System.nanoTime();
        long first = 0;
        try (Response r = http.newCall(request).execute()) {
            if (r.code() != 200) {
                String text = r.body().string();
                boolean clean = errorBody(text) && (r.code() != 429 || r.header("Retry-After") != null);
                return new Done(start, 0, System.nanoTime(), r.code(), clean, 0, r.code() == 429 && clean ? null
                        : r.code() + " " + text);
            }
            BufferedSource source = r.body().source();
            int tokens = -1;
            boolean ended = false;
            String line;
            while ((line = source.readUtf8Line()) != null) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                if (first == 0) {
                    first = System.nanoTime();
                }
                if (line.startsWith("data: {\"error\"")) {
                    // an error inside a 200 stream is the node failing as much as a 500 is
                    return new Done(start, first, System.nanoTime(), 500, true, 0, line);
                }
                if (line.equals("data: [DONE]")) {
                    ended = true;
                } else if (line.contains("\"usage\"") && !line.contains("\"usage\":null")) {
                    JsonNode usage = Wire.mapper().readTree(line.substring(6)).path("usage");
                    tokens = usage.path("completion_tokens").asInt(-1);
                }
            }
            long end = System.nanoTime();
            if (tokens < 0 || !ended || tokens != maxTokens) {
                return new Done(start, first, end, 200, false, Math.max(0, tokens), "a stream for " + model + " cut "
                        + "short: " + (tokens < 0 ? "no usage chunk" : tokens + " of " + maxTokens + " tokens")
                        + (ended ? "" : ", no [DONE]"));
            }
            return new Done(start, first, end, 200, true, tokens, null);
        } catch (IOException e) {
            return new Done(start, first, System.nanoTime(), 0, false, 0, e.toString());
        }
    }

    private static boolean errorBody(String text) {
        try {
            return Wire.mapper().readTree(text).path("error").path("message").isTextual();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Drops the idle connections of every client (their sockets close now, not when the pool times them out). */
    void close() {
        for (OkHttpClient h : https) {
            h.connectionPool().evictAll();
        }
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** A request's model for a point over {@code k} adapters with Zipf traffic. */
    static java.util.function.Function<SplittableRandom, String> zipf(ZipfTraffic traffic, IntFunction<String> ids) {
        return rnd -> ids.apply(traffic.next(rnd));
    }
}
