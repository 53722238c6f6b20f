package org.openledger.studio.app.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.Wire;
import org.openledger.studio.datanet.node.HttpRegistryClient;
import org.openledger.studio.api.registry.RegistryInfo;
import org.openledger.studio.app.cli.datanet.KeyManifestSigner;
import org.openledger.studio.datanet.contribution.ChunkLimits;
import org.openledger.studio.datanet.contribution.ContributionUploads;
import org.openledger.studio.datanet.contribution.ManifestDomain;
import org.openledger.studio.datanet.contribution.PreparedContribution;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.ProgressListener;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.NewDatanet;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.wallet.PrivateKey;
import org.web3j.utils.Numeric;

/** The well-behaved clients of a load run: one request after another of their kind until the run ends. */
final class Clients {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final List<String> PROMPTS = List.of("Once upon a time", "The little cat", "In the morning the",
            "Call me Ishmael.", "The state of the union is");

    private final OkHttpClient http;
    private final URI base;
    private final String token;
    private final Tally tally;
    private final int maxTokens;

    Clients(OkHttpClient http, URI base, String token, Tally tally, int maxTokens) {
        this.http = http;
        this.base = base;
        this.token = token;
        this.tally = tally;
        this.maxTokens = maxTokens;
    }

    private Request.Builder call(String path) {
        return new Request.Builder().url(base.resolve(path).toString()).header("Authorization", "Bearer " + token);
    }

    /** One completion or chat of {@code kind}, streamed or not. */
    void inference(Kind kind, Random rnd) {
        ObjectNode body = Wire.mapper().createObjectNode();
        String prompt = PROMPTS.get(rnd.nextInt(PROMPTS.size()));
        boolean chat = kind == Kind.CHAT || kind == Kind.CHAT_STREAM;
        if (chat) {
            body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        } else {
            body.put("prompt", prompt);
        }
        body.put("max_tokens", maxTokens).put("temperature", 0.8).put("seed", rnd.nextInt(1000));
        boolean stream = kind == Kind.COMPLETION_STREAM || kind == Kind.CHAT_STREAM;
        if (stream) {
            body.put("stream", true);
        }
        String path = chat ? "/v1/chat/completions" : "/v1/completions";
        timed(kind, call(path).post(RequestBody.create(body.toString(), JSON)).build(), stream);
    }

    /** One read of {@code kind}. */
    void read(Kind kind) {
        String path = switch (kind) {
            case MODELS -> "/v1/models";
            case HEALTH -> "/health";
            case ATTRIBUTION -> "/v1/attribution?limit=20";
            default -> throw new IllegalArgumentException(kind.name());
        };
        timed(kind, call(path).get().build(), false);
    }

    /**
     * A small fine-tuning job on the served model, then its event stream followed to the end (so one client has at
     * most one job at a time, and the job queue stays bounded).
     */
    void fineTune(Random rnd) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            text.append("{\"text\": \"").append(PROMPTS.get(i % PROMPTS.size())).append(" there lived a fox number ")
                    .append(rnd.nextInt(100_000)).append(" who ran to the river.\"}\n");
        }
        ObjectNode body = Wire.mapper().createObjectNode().put("training_text", text.toString())
                .put("suffix", "load").put("seed", rnd.nextInt(1000));
        body.putObject("hyperparameters").put("n_epochs", 1).put("batch_size", 2);
        long start = System.nanoTime();
        String id;
        try (Response r = http.newCall(call("/v1/fine_tuning/jobs").post(RequestBody.create(body.toString(), JSON))
                .build()).execute()) {
            String answer = r.body().string();
            tally.record(Kind.FINETUNE_CREATE, r.code(), System.nanoTime() - start, r.code() >= 500 ? answer : null);
            if (r.code() != 200) {
                return;
            }
            id = Wire.mapper().readTree(answer).path("id").asText();
        } catch (IOException e) {
            tally.record(Kind.FINETUNE_CREATE, 0, System.nanoTime() - start, e.toString());
            return;
        }
        timed(Kind.FINETUNE_EVENTS, call("/v1/fine_tuning/jobs/" + id + "/events?stream=true").get().build(), true);
    }

    /** Sends one request and reads its whole answer; a stream is read line by line to its end. */
    private void timed(Kind kind, Request request, boolean stream) {
        long start = System.nanoTime();
        try (Response r = http.newCall(request).execute()) {
            String detail = null;
            if (stream && r.code() == 200) {
                BufferedSource source = r.body().source();
                String line;
                while ((line = source.readUtf8Line()) != null) {
                    if (line.startsWith("data: {\"error\"")) {
                        detail = line;
                    }
                }
            } else {
                String text = r.body().string();
                detail = r.code() >= 500 ? text : null;
            }
            // an error event inside a 200 stream is a failure of the node as much as a 500 is
            tally.record(kind, detail != null && r.code() == 200 ? 500 : r.code(), System.nanoTime() - start, detail);
        } catch (IOException e) {
            tally.record(kind, 0, System.nanoTime() - start, e.toString());
        }
    }

    /** A contributor uploading small Datanets, one after another, through the studio's own upload engine. */
    static final class Uploader implements AutoCloseable {
        private final Workspace workspace;
        private final ContributionUploads uploads;
        private final PrivateKey key;
        private final KeyManifestSigner signer;
        private final Path dir;
        private final HttpRegistryClient registry;
        private final Tally tally;
        private final int client;
        private ManifestDomain domain;
        private int round;

        Uploader(Path dir, int client, NodeClient node, Tally tally) {
            this.dir = dir;
            this.client = client;
            this.tally = tally;
            this.workspace = Workspace.open(dir.resolve("workspace.db"));
            this.uploads = new ContributionUploads(workspace, Clock.systemUTC());
            // a throw-away key per client (the node sees only the address and the signature), signed as the CLI signs
            this.key = PrivateKey.of(Numeric.toBytesPadded(BigInteger.valueOf(0xC0DE0000L + client), 32));
            this.signer = new KeyManifestSigner(this.key);
            this.registry = new HttpRegistryClient(node);
        }

        void uploadOne(Random rnd) throws IOException {
            round++;
            Datanet d = workspace.datanets().create(new NewDatanet("load-" + client + "-" + round, "", "", List.of(),
                    "CC-BY-4.0", signer.address()));
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                rows.append("{\"text\": \"Upload ").append(client).append('.').append(round).append(" row ").append(i)
                        .append(" tells of harbour ").append(rnd.nextInt(1_000_000)).append(" and its ")
                        .append(rnd.nextInt(1_000_000)).append(" boats\"}\n");
            }
            Path file = Files.writeString(dir.resolve("round-" + round + ".jsonl"), rows.toString(),
                    StandardCharsets.UTF_8);
            workspace.add(d.id(), List.of(file), signer.address(), new Ingest(), ProgressListener.NONE);
            Files.delete(file);
            long start = System.nanoTime();
            try {
                if (domain == null) {
                    RegistryInfo info = registry.info();
                    domain = new ManifestDomain(info.chainId(), info.verifyingContract());
                }
                PreparedContribution p = uploads.prepare(d.id(), signer.address(),
                        BigInteger.valueOf(1_000_000L * (client + 1) + round), BigInteger.valueOf(round),
                        new ChunkLimits(3, 1 << 20));
                uploads.sign(p.uploadId(), signer, domain);
                uploads.upload(p.uploadId(), registry, ProgressListener.NONE, () -> false);
                tally.record(Kind.UPLOAD, 200, System.nanoTime() - start, null);
            } catch (NodeClientException e) {
                tally.record(Kind.UPLOAD, e.status() > 0 ? e.status() : 0, System.nanoTime() - start, e.getMessage());
            } catch (RuntimeException e) {
                Throwable c = e;
                while (c.getCause() != null && !(c instanceof NodeClientException)) {
                    c = c.getCause();
                }
                int status = c instanceof NodeClientException n && n.status() > 0 ? n.status() : 0;
                tally.record(Kind.UPLOAD, status, System.nanoTime() - start, e.toString());
            }
        }

        @Override
        public void close() {
            key.close();
            workspace.close();
        }
    }

}
