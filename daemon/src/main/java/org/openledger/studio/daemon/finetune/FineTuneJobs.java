package org.openledger.studio.daemon.finetune;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openledger.studio.api.finetune.FineTuneEvent;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.finetune.LoraTrainable;
import org.openledger.studio.finetune.TokenWindows;
import org.openledger.studio.finetune.Trainer;
import org.openledger.studio.finetune.TrainingConfig;
import org.openledger.studio.finetune.TrainingListener;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's fine-tuning jobs: a queue run one job at a time on a single training thread, LoRA on the served base
 * model, the adapter written in PEFT format into the node's adapter folder under the job's {@code fine_tuned_model}
 * id (served by {@code /v1/models} at once). Job states are kept in {@code fine_tuning.db}; a job that was running
 * when the node stopped is marked failed on the next start, and queued ones are queued again.
 */
public final class FineTuneJobs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FineTuneJobs.class);
    private static final int MAX_EVENTS = 2000;

    private final BaseModel base;
    private final Path adapterFolder;
    private final FineTuneStore store;
    private final ExecutorService trainer;
    private final Map<String, FineTuneJob> jobs = new LinkedHashMap<>();
    private final Map<String, List<FineTuneEvent>> events = new HashMap<>();
    private final Map<String, AtomicBoolean> cancels = new HashMap<>();
    private final Map<String, Integer> eventCounts = new HashMap<>();
    private boolean closing;

    private FineTuneJobs(BaseModel base, Path adapterFolder, FineTuneStore store) {
        this.base = base;
        this.adapterFolder = adapterFolder;
        this.store = store;
        this.trainer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fine-tuning");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens the job table in {@code dataDir}, failing jobs a stopped node left running and requeueing queued ones. */
    public static FineTuneJobs open(BaseModel base, Path adapterFolder, Path dataDir) {
        FineTuneJobs out = new FineTuneJobs(base, adapterFolder, FineTuneStore.open(dataDir));
        out.recover();
        return out;
    }

    private synchronized void recover() {
        for (FineTuneJob job : store.all()) {
            jobs.put(job.id(), job);
            events.put(job.id(), new ArrayList<>());
            if (job.status().equals("running")) {
                finish(job.id(), "failed", null, null,
                        new FineTuneJob.Error("node_restarted", "The node restarted while the job was running", null));
            } else if (job.status().equals("queued")) {
                try {
                    enqueue(job, JobSpec.of(new FineTuneRequest(job.model(), store.trainingText(job.id()),
                            job.hyperparameters(), job.lora(), job.userProvidedSuffix(), job.seed()), base,
                            job.seed()));
                } catch (InvalidFineTuneException e) {
                    finish(job.id(), "failed", null, null, new FineTuneJob.Error("invalid_job", e.getMessage(),
                            e.param()));
                }
            }
        }
    }

    /** Checks and queues a job; it starts when the jobs before it are done. */
    public synchronized FineTuneJob create(FineTuneRequest request) throws InvalidFineTuneException {
        JobSpec spec = JobSpec.of(request, base, System.nanoTime() & 0x7fffffffL);
        String id = "ftjob-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        FineTuneJob job = new FineTuneJob(id, "fine_tuning.job", Instant.now().getEpochSecond(), null, base.id(),
                null, "queued", spec.hyperparameters(), spec.lora(), spec.seed(), spec.suffix(), null, null);
        store.insert(job, request.trainingText());
        jobs.put(id, job);
        events.put(id, new ArrayList<>());
        event(id, "info", "Job queued: " + spec.tokens().length + " tokens, " + spec.steps() + " steps of "
                + spec.batchSize() + " x " + spec.context() + " tokens", null);
        enqueue(job, spec);
        return job;
    }

    /** The adapter id a job's result is served under: base id, "-ft-", the suffix if any, part of the job id. */
    private String adapterId(FineTuneJob job) {
        return base.id().replaceAll("[^A-Za-z0-9._-]", "-") + "-ft-"
                + (job.userProvidedSuffix() != null ? job.userProvidedSuffix() + "-" : "") + job.id().substring(6, 14);
    }

    private void enqueue(FineTuneJob job, JobSpec spec) {
        String model = adapterId(job);
        cancels.put(job.id(), new AtomicBoolean());
        trainer.execute(() -> run(job.id(), spec, model));
    }

    public synchronized List<FineTuneJob> list() {
        List<FineTuneJob> out = new ArrayList<>(jobs.values());
        java.util.Collections.reverse(out);
        return out;
    }

    public synchronized FineTuneJob get(String id) throws UnknownJobException {
        FineTuneJob job = jobs.get(id);
        if (job == null) {
            throw new UnknownJobException(id);
        }
        return job;
    }

    public synchronized List<FineTuneEvent> events(String id) throws UnknownJobException {
        get(id);
        return List.copyOf(events.get(id));
    }

    /** Receives a job's events as they happen. */
    public interface EventSink {
        void send(FineTuneEvent event) throws IOException;
    }

    /**
     * Sends the job's events so far, then each new one as it happens, and returns when the job has ended (or the
     * node is stopping).
     *
     * @throws IOException when the sink fails (the client went away)
     */
    public void follow(String id, EventSink sink) throws UnknownJobException, IOException, InterruptedException {
        int sent = 0;
        while (true) {
            List<FineTuneEvent> fresh;
            boolean ended;
            synchronized (this) {
                get(id);
                while (eventCounts.getOrDefault(id, 0) == sent && !jobs.get(id).finished() && !closing) {
                    wait(1000);
                }
                List<FineTuneEvent> all = events.get(id);
                int total = eventCounts.getOrDefault(id, 0);
                int first = Math.max(0, all.size() - (total - sent));
                fresh = List.copyOf(all.subList(first, all.size()));
                sent = total;
                ended = jobs.get(id).finished() || closing;
            }
            for (FineTuneEvent e : fresh) {
                sink.send(e);
            }
            if (ended) {
                return;
            }
        }
    }

    /** Cancels a queued job at once, a running one after its current step; a finished job is left as it is. */
    public synchronized FineTuneJob cancel(String id) throws UnknownJobException {
        FineTuneJob job = get(id);
        if (job.finished()) {
            return job;
        }
        cancels.get(id).set(true);
        if (job.status().equals("queued")) {
            return finish(id, "cancelled", null, null, null);
        }
        event(id, "info", "Cancellation requested", null);
        return job;
    }

    private void run(String id, JobSpec spec, String model) {
        AtomicBoolean cancelled;
        synchronized (this) {
            cancelled = cancels.get(id);
            if (cancelled == null || cancelled.get() || jobs.get(id).finished()) {
                return;
            }
            update(id, "running", null, null, null);
            event(id, "info", "Training started", null);
        }
        int every = Math.max(1, spec.steps() / 200);
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                if (r.step() % every == 0 || r.step() == r.steps()) {
                    synchronized (FineTuneJobs.this) {
                        event(id, "info", "Step " + r.step() + "/" + r.steps() + ": training loss="
                                        + String.format(java.util.Locale.ROOT, "%.4f", r.loss()),
                                new FineTuneEvent.Metrics(r.step(), r.steps(), r.loss(), r.tokensPerSecond()));
                    }
                }
            }
        };
        try {
            Trainer.Result result = train(spec, model, listener, cancelled::get);
            synchronized (this) {
                event(id, "info", "The adapter '" + model + "' is ready", null);
                finish(id, "succeeded", model, result.tokensSeen(), null);
            }
        } catch (CancellationException e) {
            synchronized (this) {
                if (closing) {
                    finish(id, "failed", null, null, new FineTuneJob.Error("node_stopped",
                            "The node stopped while the job was running", null));
                } else {
                    finish(id, "cancelled", null, null, null);
                }
            }
        } catch (Exception | OutOfMemoryError e) {
            log.warn("fine-tuning job {} failed", id, e);
            synchronized (this) {
                finish(id, "failed", null, null, new FineTuneJob.Error("training_failed",
                        "Training failed: " + e.getMessage(), null));
            }
        }
    }

    private Trainer.Result train(JobSpec spec, String model, TrainingListener listener,
                                 java.util.function.BooleanSupplier cancelled) throws IOException {
        TrainingConfig tc = TrainingConfig.defaults(spec.steps(), spec.batchSize(), spec.context(),
                spec.learningRate(), spec.seed()).withEvaluation(0, 1).withCheckpointEvery(0);
        AdapterConfig ac = new AdapterConfig(spec.rank(), spec.alpha(), spec.targets(), false, base.id());
        try (NDManager m = NDManager.newBaseManager(base.device().djl());
             LoraTrainable lora = new LoraTrainable(base.config(), ac, spec.seed(), m.newSubManager())) {
            Trainer.Result r = new Trainer(base.transformer(), lora, tc, new TokenWindows(spec.tokens(), new int[0]))
                    .run(null, listener, cancelled);
            Files.createDirectories(adapterFolder);
            // written beside the folder under a name the adapter store ignores, then renamed into place
            Path tmp = adapterFolder.resolve("." + model + ".partial");
            lora.toAdapter(model).save(tmp);
            Files.move(tmp, adapterFolder.resolve(model), StandardCopyOption.ATOMIC_MOVE);
            return r;
        }
    }

    private FineTuneJob finish(String id, String status, String model, Long tokens, FineTuneJob.Error error) {
        if (error != null) {
            event(id, "error", error.message(), null);
        } else if (status.equals("cancelled")) {
            event(id, "info", "Job cancelled", null);
        }
        return update(id, status, model, tokens, error);
    }

    private FineTuneJob update(String id, String status, String model, Long tokens, FineTuneJob.Error error) {
        FineTuneJob j = jobs.get(id);
        boolean done = !status.equals("queued") && !status.equals("running");
        FineTuneJob next = new FineTuneJob(j.id(), j.object(), j.createdAt(),
                done ? Long.valueOf(Instant.now().getEpochSecond()) : null, j.model(), model, status,
                j.hyperparameters(), j.lora(), j.seed(), j.userProvidedSuffix(), tokens, error);
        store.update(next);
        jobs.put(id, next);
        notifyAll();
        return next;
    }

    private void event(String id, String level, String message, FineTuneEvent.Metrics metrics) {
        List<FineTuneEvent> list = events.get(id);
        if (list.size() >= MAX_EVENTS) {
            list.remove(1);
        }
        int n = eventCounts.merge(id, 1, Integer::sum);
        list.add(new FineTuneEvent("ftevent-" + id.substring(6) + "-" + n, "fine_tuning.job.event",
                Instant.now().getEpochSecond(), level, message, metrics == null ? "message" : "metrics", metrics));
        notifyAll();
    }

    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            cancels.values().forEach(c -> c.set(true));
            notifyAll();
        }
        trainer.shutdownNow();
        try {
            trainer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
