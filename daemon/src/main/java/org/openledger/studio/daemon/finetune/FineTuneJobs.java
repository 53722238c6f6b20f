package org.openledger.studio.daemon.finetune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openledger.studio.api.finetune.FineTuneCheckpoint;
import org.openledger.studio.api.finetune.FineTuneEstimate;
import org.openledger.studio.api.finetune.FineTuneEvent;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.api.finetune.TrainedRow;
import org.openledger.studio.finetune.Trainer;
import org.openledger.studio.finetune.TrainingCheckpoint;
import org.openledger.studio.finetune.TrainingDivergedException;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.store.CrashPoint;
import org.openledger.studio.store.Folders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's fine-tuning jobs: a queue run one job at a time on a single training thread, LoRA on the served base
 * model, the adapter written in PEFT format into the node's adapter folder under the job's {@code fine_tuned_model}
 * id (served by {@code /v1/models} at once). Each job checkpoints into {@code <data>/fine_tuning/<job>/}; a job
 * cancelled or failed with a checkpoint can be resumed, and one that was running when the node stopped (or died)
 * is queued again at the next start and goes on from its last checkpoint, so it ends as an uninterrupted job
 * would. A job without a checkpoint when the node died is marked failed, never silently lost. Job states, the
 * documents and Datanet rows each job uses, and the checkpoints it saved are kept in {@code fine_tuning.db}.
 */
public final class FineTuneJobs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FineTuneJobs.class);
    private static final int MAX_EVENTS = 2000;

    private final BaseModel base;
    private final Path adapterFolder;
    private final Path jobsFolder;
    private final FineTuneStore store;
    private final DatanetRows registry;
    private final AdapterIndexer indexer;
    private final ExecutorService trainer;
    private final Map<String, FineTuneJob> jobs = new LinkedHashMap<>();
    private final Map<String, List<FineTuneEvent>> events = new HashMap<>();
    private final Map<String, AtomicBoolean> cancels = new HashMap<>();
    private final Map<String, Integer> eventCounts = new HashMap<>();
    private final FineTuneEstimator estimator;
    /** Where a run's progress goes: the job (under this table's lock) and its events. */
    private final JobProgress.Jobs progressSink = new JobProgress.Jobs() {
        @Override
        public void progressed(String id, long trainedTokens, FineTuneJob.Result result, long etaEpochSecond) {
            synchronized (FineTuneJobs.this) {
                jobs.put(id, jobs.get(id).withProgress(trainedTokens, result, etaEpochSecond));
            }
        }

        @Override
        public void event(String id, String level, String message, FineTuneEvent.Metrics metrics, String type) {
            synchronized (FineTuneJobs.this) {
                FineTuneJobs.this.event(id, level, message, metrics, type);
            }
        }
    };
    private String running;
    private boolean closing;

    private FineTuneJobs(BaseModel base, Path adapterFolder, Path dataDir, FineTuneStore store,
                         DatanetRows registry, AdapterIndexer indexer) {
        this.indexer = indexer;
        this.base = base;
        this.adapterFolder = adapterFolder;
        this.jobsFolder = dataDir.resolve("fine_tuning");
        this.store = store;
        this.registry = registry;
        this.trainer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fine-tuning");
            t.setDaemon(true);
            return t;
        });
        this.estimator = new FineTuneEstimator(base, registry, trainer, this::trainerBusy);
    }

    private synchronized boolean trainerBusy() {
        return running != null || closing;
    }

    /**
     * What a job with this request would do and cost, without queueing it (see {@link FineTuneEstimator}).
     */
    public FineTuneEstimate estimate(FineTuneRequest request) throws InvalidFineTuneException {
        return estimator.estimate(request);
    }

    /**
     * Opens the job table in {@code dataDir}, queueing again the jobs a stopped node left queued or running (those
     * without a checkpoint to go on from are marked failed).
     */
    public static FineTuneJobs open(BaseModel base, Path adapterFolder, Path dataDir, DatanetRows registry) {
        return open(base, adapterFolder, dataDir, registry, AdapterIndexer.NONE);
    }

    /** As above; each adapter a job finishes is handed to {@code indexer} with the rows it was trained on. */
    public static FineTuneJobs open(BaseModel base, Path adapterFolder, Path dataDir, DatanetRows registry,
                                    AdapterIndexer indexer) {
        FineTuneJobs out = new FineTuneJobs(base, adapterFolder, dataDir, FineTuneStore.open(dataDir), registry,
                indexer);
        out.recover();
        return out;
    }

    private synchronized void recover() {
        for (FineTuneJob job : store.all()) {
            jobs.put(job.id(), job);
            events.put(job.id(), new ArrayList<>());
            if (job.status().equals("succeeded")) {
                try {
                    Folders.deleteTree(checkpointDir(job.id())); // killed after it was recorded as done
                } catch (IOException e) {
                    log.warn("the checkpoint of finished job {} cannot be deleted", job.id(), e);
                }
            }
            if (job.status().equals("running") || job.status().equals("queued")) {
                TrainingCheckpoint saved = checkpoint(job.id());
                if (job.status().equals("running") && saved == null) {
                    finish(job.id(), "failed", null, null, new FineTuneJob.Error("node_restarted",
                            "The node restarted while the job was running, before its first checkpoint", null));
                    continue;
                }
                try {
                    JobSpec spec = storedSpec(job);
                    update(job.id(), "queued", null, null, null, job.result());
                    event(job.id(), "info", saved == null ? "Queued again after the node restarted"
                            : "Queued again after the node restarted; goes on from step " + saved.step(), null);
                    enqueue(job.id(), spec);
                } catch (InvalidFineTuneException e) {
                    finish(job.id(), "failed", null, null, new FineTuneJob.Error("invalid_job", e.getMessage(),
                            e.param()));
                }
            }
        }
    }

    /** The spec of a stored job, rebuilt from the documents it was created with (Datanet rows included). */
    private JobSpec storedSpec(FineTuneJob job) throws InvalidFineTuneException {
        return JobSpec.of(new FineTuneRequest(job.model(), store.trainingText(job.id()), null, job.hyperparameters(),
                job.lora(), job.userProvidedSuffix(), job.seed()), base, job.seed(), DatanetRows.NONE);
    }

    /** Checks and queues a job; it starts when the jobs before it are done. */
    public synchronized FineTuneJob create(FineTuneRequest request) throws InvalidFineTuneException {
        JobSpec spec = JobSpec.of(request, base, System.nanoTime() & 0x7fffffffL, registry);
        String id = "ftjob-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        FineTuneJob job = new FineTuneJob(id, "fine_tuning.job", Instant.now().getEpochSecond(), null, base.id(),
                null, "queued", spec.hyperparameters(), spec.lora(), spec.seed(), spec.suffix(), null, null,
                spec.datanets(), null, null, null);
        store.insert(job, spec.documentsAsJsonLines(), spec.data().rows());
        jobs.put(id, job);
        events.put(id, new ArrayList<>());
        event(id, "info", describe(spec), null);
        if (spec.data().splitDocuments() > 0) {
            event(id, "warn", spec.data().splitDocuments() + " of " + spec.data().documents() + " documents are"
                    + " longer than the context of " + spec.context() + " tokens; each is spread over several"
                    + " windows", null);
        }
        enqueue(id, spec);
        return job;
    }

    private static String describe(JobSpec spec) {
        JobSpec.Data d = spec.data();
        return String.format(Locale.ROOT, "Job queued: %d documents (%d for training, %d held out for validation),"
                        + " %d training tokens, %d validation tokens; %d steps of %d x %d tokens%s",
                d.documents(), d.trainingDocuments(), d.validationDocuments(), d.train().length,
                d.validation().length, spec.steps(), spec.batchSize(), spec.context(),
                spec.accumulation() > 1 ? " x " + spec.accumulation() + " accumulated micro-batches" : "");
    }

    /** The adapter id a job's result is served under: base id, "-ft-", the suffix if any, part of the job id. */
    private String adapterId(FineTuneJob job) {
        return base.id().replaceAll("[^A-Za-z0-9._-]", "-") + "-ft-"
                + (job.userProvidedSuffix() != null ? job.userProvidedSuffix() + "-" : "") + job.id().substring(6, 14);
    }

    private void enqueue(String id, JobSpec spec) {
        cancels.put(id, new AtomicBoolean());
        trainer.execute(() -> run(id, spec, adapterId(jobs.get(id))));
    }

    public synchronized List<FineTuneJob> list() {
        List<FineTuneJob> out = new ArrayList<>();
        for (FineTuneJob j : jobs.values()) {
            out.add(withResumable(j));
        }
        java.util.Collections.reverse(out);
        return out;
    }

    public synchronized FineTuneJob get(String id) throws UnknownJobException {
        FineTuneJob job = jobs.get(id);
        if (job == null) {
            throw new UnknownJobException(id);
        }
        return withResumable(job);
    }

    private FineTuneJob withResumable(FineTuneJob j) {
        boolean stopped = j.status().equals("cancelled") || j.status().equals("failed");
        return j.withResumable(stopped ? Boolean.valueOf(Files.isDirectory(checkpointDir(j.id())
                .resolve("checkpoint"))) : null);
    }

    public synchronized List<FineTuneEvent> events(String id) throws UnknownJobException {
        get(id);
        return List.copyOf(events.get(id));
    }

    /** The checkpoints a job saved, newest first; only the newest one's files are kept to resume from. */
    public List<FineTuneCheckpoint> checkpoints(String id) throws UnknownJobException {
        get(id);
        TrainingCheckpoint saved = checkpoint(id);
        return store.checkpoints(id, saved == null ? -1 : saved.step());
    }

    /** The Datanet rows a job trained on and held out (empty for inline text). */
    public List<TrainedRow> rows(String id) throws UnknownJobException {
        get(id);
        return store.rows(id);
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
            return withResumable(finish(id, "cancelled", null, null, null));
        }
        event(id, "info", "Cancellation requested", null);
        return job;
    }

    /**
     * Queues a cancelled or failed job again; it goes on from its last checkpoint.
     *
     * @throws InvalidFineTuneException when the job is not stopped or has no checkpoint to go on from
     */
    public synchronized FineTuneJob resume(String id) throws UnknownJobException, InvalidFineTuneException {
        FineTuneJob job = get(id);
        if (!Boolean.TRUE.equals(job.resumable())) {
            throw new InvalidFineTuneException("id", job.status().equals("cancelled") || job.status().equals("failed")
                    ? "Job " + id + " has no checkpoint to resume from; start a new job"
                    : "Job " + id + " is " + job.status() + "; only a cancelled or failed job can be resumed");
        }
        JobSpec spec = storedSpec(job);
        TrainingCheckpoint saved = checkpoint(id);
        FineTuneJob next = update(id, "queued", null, null, null, job.result());
        event(id, "info", "Resumed: goes on from step " + (saved == null ? 0 : saved.step()), null);
        enqueue(id, spec);
        return withResumable(next);
    }

    private Path checkpointDir(String id) {
        return jobsFolder.resolve(id);
    }

    private TrainingCheckpoint checkpoint(String id) {
        try {
            return TrainingCheckpoint.read(checkpointDir(id));
        } catch (IOException | RuntimeException e) {
            log.warn("the checkpoint of job {} cannot be read", id, e);
            return null;
        }
    }

    private void run(String id, JobSpec spec, String model) {
        AtomicBoolean cancelled;
        synchronized (this) {
            cancelled = cancels.get(id);
            if (cancelled == null || cancelled.get() || jobs.get(id).finished() || closing) {
                return;
            }
            running = id;
            update(id, "running", null, null, null, jobs.get(id).result());
            event(id, "info", "Training started", null);
        }
        JobProgress progress = new JobProgress(id, spec, progressSink, store, estimator);
        try {
            Trainer.Result result = JobTraining.train(base, adapterFolder, spec, model, checkpointDir(id), progress,
                    cancelled::get);
            CrashPoint.reach("finetune.trained"); // the adapter is in place, the job not yet recorded as done
            // recorded before the checkpoint goes: a node killed in between resumes from the checkpoint (and
            // writes the same adapter again) instead of failing a job whose adapter is already served
            index(id, model, spec, null);
            synchronized (this) {
                event(id, "info", "The adapter '" + model + "' is ready", null);
                // every step's tokens, those before a resume included
                long tokens = result.steps() * spec.tokensPerStep();
                finish(id, "succeeded", model, tokens, null, progress.result(result.steps()));
            }
            try {
                Folders.deleteTree(checkpointDir(id));
            } catch (IOException e) {
                log.warn("the checkpoint of job {} cannot be deleted; the next start tries again", id, e);
            }
        } catch (CancellationException e) {
            synchronized (this) {
                TrainingCheckpoint saved = checkpoint(id);
                if (closing && saved != null) {
                    update(id, "queued", null, null, null, jobs.get(id).result());
                    event(id, "info", "The node is stopping; the job goes on from step " + saved.step()
                            + " when it starts again", null);
                } else if (closing) {
                    finish(id, "failed", null, null, new FineTuneJob.Error("node_stopped",
                            "The node stopped before the job's first checkpoint", null), jobs.get(id).result());
                } else {
                    finish(id, "cancelled", null, null, null, jobs.get(id).result());
                }
            }
        } catch (TrainingDivergedException e) {
            fail(id, "training_diverged", e.getMessage());
        } catch (IOException e) {
            log.warn("fine-tuning job {} failed writing files", id, e);
            fail(id, "io_error", "Writing the checkpoint or adapter failed: " + e.getMessage()
                    + "; the last complete checkpoint is kept");
        } catch (Exception | OutOfMemoryError e) {
            log.warn("fine-tuning job {} failed", id, e);
            fail(id, "training_failed", "Training failed: " + e.getMessage());
        } finally {
            synchronized (this) {
                running = null;
            }
        }
    }

    /** Hands a finished adapter and its training rows to the indexer; a failure there never fails the job. */
    private void index(String id, String model, JobSpec spec, List<TrainedRow> registryRows) {
        if (indexer == AdapterIndexer.NONE) {
            return;
        }
        try {
            indexer.index(model, TrainingRows.of(spec, base, registryRows));
            synchronized (this) {
                event(id, "info", "Attribution index of '" + model + "' queued", null);
            }
        } catch (Exception e) {
            log.warn("the rows of job {} cannot be indexed for attribution", id, e);
        }
    }

    /**
     * The rows the job that trained {@code adapter} learned from, for an attribution index.
     *
     * @throws InvalidFineTuneException when no succeeded job of this node trained that adapter
     */
    public TrainingRows trainingRows(String adapter) throws InvalidFineTuneException {
        FineTuneJob job;
        synchronized (this) {
            job = jobs.values().stream().filter(j -> "succeeded".equals(j.status())
                    && adapter.equals(j.fineTunedModel())).findFirst().orElse(null);
        }
        if (job == null) {
            throw new InvalidFineTuneException("adapter", "The node knows no training rows of '" + adapter
                    + "': no fine-tuning job on this node produced it, so it cannot be indexed for attribution");
        }
        JobSpec spec = storedSpec(job);
        try {
            return TrainingRows.of(spec, base, job.datanets() != null && !job.datanets().isEmpty()
                    ? store.rows(job.id()) : null);
        } catch (IOException e) {
            throw new InvalidFineTuneException("model", "The base model cannot tokenise the rows: " + e.getMessage());
        }
    }

    private synchronized void fail(String id, String code, String message) {
        finish(id, "failed", null, null, new FineTuneJob.Error(code, message, null), jobs.get(id).result());
    }

    private FineTuneJob finish(String id, String status, String model, Long tokens, FineTuneJob.Error error) {
        return finish(id, status, model, tokens, error, jobs.get(id).result());
    }

    private FineTuneJob finish(String id, String status, String model, Long tokens, FineTuneJob.Error error,
                               FineTuneJob.Result result) {
        if (error != null) {
            event(id, "error", error.message(), null);
        } else if (status.equals("cancelled")) {
            event(id, "info", "Job cancelled", null);
        }
        return update(id, status, model, tokens, error, result);
    }

    private FineTuneJob update(String id, String status, String model, Long tokens, FineTuneJob.Error error,
                               FineTuneJob.Result result) {
        FineTuneJob j = jobs.get(id);
        boolean done = !status.equals("queued") && !status.equals("running");
        FineTuneJob next = new FineTuneJob(j.id(), j.object(), j.createdAt(),
                done ? Long.valueOf(Instant.now().getEpochSecond()) : null, j.model(), model, status,
                j.hyperparameters(), j.lora(), j.seed(), j.userProvidedSuffix(),
                tokens != null ? tokens : j.trainedTokens(), error, j.datanets(), result, null, null);
        store.update(next);
        jobs.put(id, next);
        notifyAll();
        return next;
    }

    private void event(String id, String level, String message, FineTuneEvent.Metrics metrics) {
        event(id, level, message, metrics, metrics == null ? "message" : "metrics");
    }

    private void event(String id, String level, String message, FineTuneEvent.Metrics metrics, String type) {
        List<FineTuneEvent> list = events.get(id);
        if (list.size() >= MAX_EVENTS) {
            list.remove(1);
        }
        int n = eventCounts.merge(id, 1, Integer::sum);
        list.add(new FineTuneEvent("ftevent-" + id.substring(6) + "-" + n, "fine_tuning.job.event",
                Instant.now().getEpochSecond(), level, message, type, metrics));
        notifyAll();
    }

    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            cancels.values().forEach(c -> c.set(true));
            notifyAll();
        }
        // no interrupt: the run stops after its current step, and a checkpoint being written is not cut off
        trainer.shutdown();
        try {
            trainer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
