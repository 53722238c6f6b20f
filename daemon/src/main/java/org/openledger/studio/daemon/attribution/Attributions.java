package org.openledger.studio.daemon.attribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.api.attribution.Pricing;
import org.openledger.studio.attribution.influence.Example;
import org.openledger.studio.attribution.influence.IndexedRow;
import org.openledger.studio.daemon.finetune.AdapterIndexer;
import org.openledger.studio.daemon.finetune.TrainingRows;
import org.openledger.studio.daemon.inference.AnswerAttribution;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.generate.Prompts;
import org.openledger.studio.gpu.tokenizer.ChatMessage;
import org.openledger.studio.gpu.tokenizer.ChatTemplateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proof of Attribution on the node: an influence index per fine-tuned adapter (built on its own thread when a job
 * finishes, resumable, the previous index served until a new one is complete), and attribution records of answers,
 * computed on one attribution thread off the request path (a bounded queue; work that does not fit is dropped and
 * counted, its record marked failed) or at once for {@code POST /v1/attribution}. Records are kept in
 * {@code attribution.db}.
 */
public final class Attributions implements AdapterIndexer, AnswerAttribution, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Attributions.class);
    public static final int DEFAULT_K = 1024;
    public static final int QUEUE = 64;
    public static final int MAX_TOP = 100;
    /** Shortest verbatim span reported, in tokens (OLMoTrace's default minimum is 8 of its tokens). */
    public static final int SPAN_MIN_TOKENS = 8;


    /** Who is credited for a Datanet row: the contributor of its earliest copy on the node (null: unknown). */
    @FunctionalInterface
    public interface RowOwners {
        RowOwners AS_UPLOADED = row -> row.contributor();

        String creditedContributor(IndexedRow row);
    }

    private volatile RowOwners owners = RowOwners.AS_UPLOADED;

    /** The active stakes behind stake targets ("model:3", "datanet:7"), per staker account, summed over targets. */
    @FunctionalInterface
    public interface StakeSource {
        StakeSource NONE = targets -> Map.of();

        Map<String, java.math.BigInteger> stakes(List<String> targets);
    }

    /** Reads stakers' stakes through {@code source} (the node's chain). */
    public void stakesFrom(StakeSource source) {
        charges.stakesFrom(source);
    }

    private volatile java.util.function.Predicate<IndexedRow> challenged = row -> false;

    /** Rows for which {@code challenged} holds (an open or upheld on-chain challenge) earn nothing. */
    public void excludeChallenged(java.util.function.Predicate<IndexedRow> challenged) {
        this.challenged = challenged;
    }

    /** Credits Datanet rows through {@code owners} (the registry's duplicate groups). */
    public void creditThrough(RowOwners owners) {
        this.owners = owners;
    }

    /** Where the rows of an adapter come from when its index must be (re)built without a job handing them over. */
    @FunctionalInterface
    public interface RowSource {
        TrainingRows rows(String adapter) throws Exception;
    }

    private final BaseModel base;
    private final Path adapterFolder;
    private final IndexFolders folders;
    private final AttributionStore store;
    private final ThreadPoolExecutor worker;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AttributionMetrics metrics = new AttributionMetrics();
    private final SpanCorpus corpus;
    private final InfluenceIndexes indexes;
    private final Charges charges;

    public Attributions(BaseModel base, Path adapterFolder, Path dataDir, int k, double damping) {
        this(base, adapterFolder, dataDir, k, damping, null, null);
    }

    /**
     * @param fees          how served inferences are charged and split (null: answers are attributed, not charged)
     * @param defaultPrice  the price of a model no price was set for
     */
    public Attributions(BaseModel base, Path adapterFolder, Path dataDir, int k, double damping, Fees fees,
                        Fees.Price defaultPrice) {
        this.base = base;
        this.adapterFolder = adapterFolder;
        this.folders = new IndexFolders(dataDir.resolve("attribution").resolve("indexes"));
        this.store = AttributionStore.open(dataDir);
        this.corpus = base.tokenizer().map(t -> new SpanCorpus(dataDir.resolve("attribution").resolve("spans"),
                base.config().vocabSize(), store, t)).orElse(null);
        this.indexes = new InfluenceIndexes(base, adapterFolder, folders, store, metrics, corpus, k, damping);
        this.charges = new Charges(store, fees, defaultPrice, model -> {
            if (!model.equals(base.id())) {
                checkAdapter(model);
            }
        });
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> daemon(r, "attribution"));
        for (AttributionRecord r : store.pending()) {
            store.put(failed(r, "The node stopped before this answer was attributed"));
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Sets where rows come from for rebuilds, and resumes the builds a stopped node left unfinished. */
    public void start(RowSource source) {
        indexes.start(source);
    }

    // ---- indexes

    @Override
    public void index(String adapter, TrainingRows rows) {
        indexes.index(adapter, rows);
    }

    /**
     * Adds rows the node holds (a Datanet upload's, a job's inline rows) to the span corpus, on the index thread;
     * a batch already there is left as it is.
     */
    public void addRows(String batch, List<IndexedRow> rows) {
        if (!closing.get()) {
            indexes.addRows(batch, rows);
        }
    }

    /** Whether a batch of rows is in the span corpus already. */
    public boolean hasRows(String batch) {
        return indexes.hasRows(batch);
    }

    /** Builds the index of an adapter the node trained, from the rows its job learned. */
    public InfluenceIndexInfo index(String adapter) throws AttributionException {
        checkAdapter(adapter);
        return indexes.index(adapter);
    }

    public List<InfluenceIndexInfo> indexes() {
        return indexes.indexes();
    }

    public InfluenceIndexInfo state(String adapter) {
        return indexes.state(adapter);
    }

    /** Whether answers of {@code model} are attributed (it has an index being served). */
    public boolean attributes(String model) {
        return indexes.served(model);
    }

    // ---- records

    /**
     * Attributes a given answer: {@code prompt} (a completion's prompt) or {@code messages} (a chat through the
     * model's chat template), and the {@code completion} text.
     */
    public AttributionRecord attribute(String model, String prompt, List<ChatMessage> messages, String completion,
                                       Integer topK) throws AttributionException, InterruptedException {
        checkAdapter(model);
        if (completion == null || completion.isEmpty()) {
            throw AttributionException.bad("completion", "completion is required: the answer to attribute");
        }
        long[] ids;
        long[] answer;
        try {
            ids = messages != null ? Prompts.chat(base, messages) : Prompts.completion(base, prompt);
            answer = base.requireTokenizer().encode(completion);
        } catch (ChatTemplateException e) {
            throw AttributionException.bad("messages", "The conversation does not fit the model's chat template: "
                    + e.getMessage());
        } catch (IOException e) {
            throw AttributionException.bad("model", e.getMessage());
        }
        return attribute(model, ids, answer, topK == null ? 10 : topK);
    }

    /** Attributes an answer now, on the attribution thread, and keeps the record. */
    public AttributionRecord attribute(String model, long[] prompt, long[] completion, int topK)
            throws AttributionException, InterruptedException {
        checkAnswer(model, prompt, completion, topK);
        String id = newId();
        Future<AttributionRecord> f;
        try {
            f = worker.submit(() -> compute(id, model, prompt, completion, topK));
        } catch (RejectedExecutionException e) {
            metrics.dropped.increment();
            throw new AttributionException("model", "The node's attribution queue is full; try again shortly", false);
        }
        try {
            AttributionRecord r = f.get();
            store.put(r);
            return r;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof AttributionException ae) {
                throw ae;
            }
            AttributionRecord r = failed(pending(id, model, completion), "Attribution failed: " + c.getMessage());
            store.put(r);
            return r;
        }
    }

    /**
     * Queues the attribution of an answer served by {@code model} and returns its record's id, or null when the
     * model has no index. Never waits: when the queue is full, the record is kept as failed ("dropped").
     */
    @Override
    public String submit(String model, long[] prompt, long[] completion) {
        if (!attributes(model) || completion.length == 0 || closing.get()) {
            return null;
        }
        String id = newId();
        AttributionRecord pending = pending(id, model, completion);
        store.put(pending);
        try {
            worker.execute(() -> {
                AttributionRecord r;
                try {
                    checkAnswer(model, prompt, completion, 10);
                    r = compute(id, model, prompt, completion, 10);
                } catch (AttributionException e) {
                    r = failed(pending, e.getMessage());
                } catch (Exception | OutOfMemoryError e) {
                    log.warn("attribution {} failed", id, e);
                    r = failed(pending, "Attribution failed: " + e.getMessage());
                }
                store.put(charged(r, prompt.length, completion.length));
            });
        } catch (RejectedExecutionException e) {
            metrics.dropped.increment();
            store.put(charged(failed(pending, "Dropped: the node's attribution queue was full"), prompt.length,
                    completion.length));
        }
        return id;
    }

    /** The most records {@code GET /v1/attribution} lists at once. */
    public static final int MAX_LIST = 500;
    /** Records looked through for a contributor or Datanet filter. */
    private static final int SCAN = 5000;

    /**
     * Recent records, newest first: of {@code model}, crediting {@code contributor} (case-insensitive address) or
     * {@code datanet} when those are given (among the newest {@value #SCAN} records).
     */
    public List<AttributionRecord> recent(String model, String contributor, String datanet, int limit)
            throws AttributionException {
        if (limit < 1 || limit > MAX_LIST) {
            throw AttributionException.bad("limit", "limit must be in [1, " + MAX_LIST + "], got " + limit);
        }
        boolean filtered = contributor != null || datanet != null;
        List<AttributionRecord> out = new ArrayList<>();
        for (AttributionRecord r : store.recent(model, filtered ? SCAN : limit)) {
            if (out.size() == limit) {
                break;
            }
            boolean byContributor = contributor == null || r.contributors().stream()
                    .anyMatch(c -> c.contributor().equalsIgnoreCase(contributor));
            boolean byDatanet = datanet == null || r.datanets().stream().anyMatch(d -> d.datanetId().equals(datanet));
            if (byContributor && byDatanet) {
                out.add(r);
            }
        }
        return out;
    }

    public Optional<AttributionRecord> get(String id) {
        return store.get(id);
    }

    private AttributionRecord charged(AttributionRecord r, int tokensIn, int tokensOut) {
        return charges.charged(r, tokensIn, tokensOut);
    }

    // ---- pricing

    /** The price of {@code model}: set for it, else the default set through the API, else the node's default. */
    public Fees.Price priceOf(String model) {
        return charges.priceOf(model);
    }

    /** The model's price as the wire shows it, or null when this node does not charge. */
    @Override
    public Pricing.Price price(String model) {
        return charges.price(model);
    }

    /** Every price and the split. */
    public Pricing pricing() throws AttributionException {
        return charges.pricing();
    }

    /** Sets a model's price ({@code model} null or empty: the default). */
    public Pricing setPrice(Pricing.Price p) throws AttributionException {
        return charges.setPrice(p);
    }

    /** A credit of a charged inference, for the reward ledger. */
    public record Credit(long id, String recordId, String account, String role, String amountWei,
                         String datanetId) {
    }

    /** Credits of charged inferences after {@code afterId}, oldest first (at most 10,000). */
    public List<Credit> creditsSince(long afterId) {
        return charges.creditsSince(afterId);
    }

    /** Prometheus text of attribution's metrics. */
    public String metrics() {
        return metrics.scrape(worker.getQueue().size(), indexes.corpusTokens());
    }

    private void checkAdapter(String adapter) throws AttributionException {
        if (adapter == null || adapter.isBlank()) {
            throw AttributionException.bad("model", "model is required: the adapter whose answer is attributed");
        }
        if (adapter.equals(base.id())) {
            throw AttributionException.bad("model", "'" + adapter + "' is the base model; attribution traces an"
                    + " adapter's answers to the rows it was fine-tuned on");
        }
        try {
            folders.adapter(adapter);
        } catch (IllegalArgumentException e) {
            throw AttributionException.unknown("model", "No adapter '" + adapter + "' on this node");
        }
        if (!Files.isDirectory(adapterFolder.resolve(adapter))) {
            throw AttributionException.unknown("model", "No adapter '" + adapter + "' on this node");
        }
    }

    private void checkAnswer(String model, long[] prompt, long[] completion, int topK) throws AttributionException {
        checkAdapter(model);
        if (!attributes(model)) {
            InfluenceIndexInfo s = state(model);
            throw AttributionException.bad("model", "The adapter '" + model + "' has no influence index"
                    + (s == null ? "; build one with POST /v1/attribution/indexes" : " yet (" + s.state()
                    + (s.error() != null ? ": " + s.error() : "") + ")"));
        }
        if (completion.length == 0) {
            throw AttributionException.bad("completion", "completion is empty: there is nothing to attribute");
        }
        long total = (long) prompt.length + completion.length;
        if (total > base.context()) {
            throw AttributionException.bad("completion", "The prompt and completion hold " + total + " tokens, more"
                    + " than the model's context of " + base.context());
        }
        if (topK < 1 || topK > MAX_TOP) {
            throw AttributionException.bad("top_k", "top_k must be in [1, " + MAX_TOP + "], got " + topK);
        }
    }

    private AttributionRecord compute(String id, String model, long[] prompt, long[] completion, int topK)
            throws Exception {
        long began = System.nanoTime();
        InfluenceIndexes.Loaded l = indexes.load(model);
        float[] scores = l.query().scores(Example.completion(prompt, completion), false);
        var tokenizer = base.requireTokenizer();
        String text = tokenizer.decode(completion);
        RowOwners o = owners;
        java.util.function.Predicate<IndexedRow> underChallenge = challenged;
        AttributionRecord r = Shares.record(id, model, text, l.index(), scores, topK, spans(completion, text),
                (System.nanoTime() - began) / 1e9, i -> {
                    IndexedRow ir = l.index().row(i);
                    if (ir.datanetId() != null && underChallenge.test(ir)) {
                        return null; // earns nothing until the challenge is dismissed
                    }
                    return l.credited().computeIfAbsent(i, row -> {
                        String who = ir.datanetId() == null ? ir.contributor() : o.creditedContributor(ir);
                        return java.util.Optional.ofNullable(who != null ? who : ir.contributor());
                    }).orElse(null);
                });
        metrics.query(r.seconds());
        metrics.records.increment();
        return r;
    }

    private List<AttributionRecord.Span> spans(long[] completion, String text) {
        return corpus == null ? List.of() : corpus.spans(completion, text, SPAN_MIN_TOKENS);
    }

    private static String newId() {
        return "attr-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private AttributionRecord pending(String id, String model, long[] completion) {
        String text = base.tokenizer().map(t -> t.decode(completion)).orElse("");
        return new AttributionRecord(id, "attribution", "pending", Instant.now().getEpochSecond(), model, model, text,
                List.of(), List.of(), List.of(), List.of(), null, null, null, null);
    }

    private AttributionRecord failed(AttributionRecord r, String error) {
        metrics.failedRecords.increment();
        return new AttributionRecord(r.id(), r.object(), "failed", r.createdAt(), r.model(), r.adapter(),
                r.completion(), List.of(), List.of(), List.of(), List.of(), null, null, null, error);
    }

    @Override
    public void close() {
        closing.set(true);
        worker.shutdown();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        indexes.close();
        store.close();
    }
}
