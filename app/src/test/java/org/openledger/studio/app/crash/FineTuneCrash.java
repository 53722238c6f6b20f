package org.openledger.studio.app.crash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.attribution.AttributionRequest;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneRequest;

/**
 * (b) Tiny real fine-tuning jobs on the bundled model, killed while they train and checkpoint: between the two
 * renames of a checkpoint, after its files and before its record, after the adapter is in place and before the job
 * is recorded as done, or at a random moment. Invariants: every job is still there after every restart, queued or
 * running again (resumed from its checkpoint) or finished; one that ends failed had no checkpoint to go on from
 * ({@code node_restarted}); a succeeded job's adapter is served and its checkpoint is gone; SQLite files intact.
 *
 * <p>(c) The influence index of a trained adapter rebuilt while the node is killed: after a complete shard, between
 * the renames that swap the new index in, or at a random moment. Invariants: the index is never lost, ends ready
 * with every training row, has no half-swapped folders left, and answers an attribution query.
 */
final class FineTuneCrash {

    private static final int ROWS = 120;

    private FineTuneCrash() {
    }

    static String trainingText(int rows, long seed) {
        StringBuilder sb = new StringBuilder();
        java.util.Random r = new java.util.Random(seed);
        String[] birds = {"gulls", "terns", "herons", "plovers", "cormorants"};
        for (int i = 1; i <= rows; i++) {
            sb.append("{\"text\": \"Log ").append(i).append(": the keeper counted ").append(r.nextInt(90) + 10)
                    .append(' ').append(birds[r.nextInt(birds.length)]).append(" on the north rock at dawn.\"}\n");
        }
        return sb.toString();
    }

    static FineTuneRequest job(long seed, int epochs, int checkpointEvery) {
        return new FineTuneRequest(null, trainingText(ROWS, seed), null,
                new FineTuneRequest.Hyperparameters(epochs, 2, 1.0, 0.1, null, checkpointEvery, 1), null, "crash",
                seed);
    }

    static void fineTune(Path dir, String rpcUrl, int points, long seed, CrashTable.Row row) throws Exception {
        KillPlan plan = new KillPlan(seed, List.of(new KillPlan.Hook("checkpoint.swap", 6),
                new KillPlan.Hook("finetune.checkpoint", 6), new KillPlan.Hook("finetune.trained", 1)), 6000);
        Path data = dir.resolve("node");
        List<String> args = List.of("--rpc-url", rpcUrl, "--chain-id", "31337");
        ExecutorService watch = Executors.newSingleThreadExecutor();
        List<String> created = new ArrayList<>();
        Set<String> checkpointed = new java.util.HashSet<>();
        int life = 0;
        try {
            String active = null;
            for (int i = 0; i < points; i++) {
                KillPlan.Point p = plan.next();
                DaemonChild node = DaemonChild.start(dir, data, p.crashAt(), args, false, life++);
                if (i > 0) {
                    row.restarts++;
                }
                if (Kills.haltedAtStart(node, p, dir, row)) {
                    if (active != null && saved(data, active)) {
                        checkpointed.add(active);
                    }
                    continue;
                }
                NodeClient c = node.client();
                if (i > 0) {
                    checkAfterRestart(c, created, checkpointed, row, p);
                }
                if (active == null || c.fineTuneJob(active).finished()) {
                    active = c.createFineTuneJob(job(seed + i, 3, 2)).id();
                    created.add(active);
                }
                String id = active;
                Future<?> training = watch.submit(() -> {
                    while (!c.fineTuneJob(id).finished()) {
                        Thread.sleep(50);
                    }
                    return null;
                });
                Kills.land(node, p, training, Duration.ofSeconds(240), row);
                // what the database says was saved before the kill: a job with one must not end without it
                if (saved(data, id)) {
                    checkpointed.add(id);
                }
                Kills.checkFiles(dir, row, p);
            }
            DaemonChild node = DaemonChild.start(dir, data, null, args, false, life++);
            row.restarts++;
            NodeClient c = node.client();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            List<FineTuneJob> jobs = c.fineTuneJobs().data();
            while (jobs.stream().anyMatch(j -> !j.finished()) && System.nanoTime() < until) {
                Thread.sleep(200);
                jobs = c.fineTuneJobs().data();
            }
            Set<String> models = c.models().data().stream().map(m -> m.id()).collect(Collectors.toSet());
            Set<String> listed = jobs.stream().map(FineTuneJob::id).collect(Collectors.toSet());
            for (String id : created) {
                row.check(listed.contains(id), "job " + id + " is gone");
            }
            for (FineTuneJob j : jobs) {
                row.check(j.finished(), "job " + j.id() + " never finished: " + j.status());
                if ("succeeded".equals(j.status())) {
                    row.check(models.contains(j.fineTunedModel()), "job " + j.id() + " succeeded but its adapter "
                            + j.fineTunedModel() + " is not served");
                    row.check(!Files.exists(data.resolve("fine_tuning").resolve(j.id()).resolve("checkpoint")),
                            "job " + j.id() + " succeeded and kept its checkpoint");
                } else if ("failed".equals(j.status())) {
                    row.check(j.error() != null && "node_restarted".equals(j.error().code())
                                    && !checkpointed.contains(j.id()),
                            "job " + j.id() + " failed although it could go on: " + j.error() + ", checkpoints recorded: "
                                    + checkpointed.contains(j.id()));
                }
            }
            node.stop();
        } finally {
            stop(watch);
        }
        Kills.checkFiles(dir, row, null);
        row.points = points;
    }

    /** Right after a restart: every job is listed, and an unfinished one is queued or running again. */
    private static void checkAfterRestart(NodeClient c, List<String> created, Set<String> checkpointed,
                                          CrashTable.Row row, KillPlan.Point p) {
        Set<String> listed = c.fineTuneJobs().data().stream().map(FineTuneJob::id).collect(Collectors.toSet());
        for (String id : created) {
            row.check(listed.contains(id), "after " + p + ": job " + id + " is gone");
        }
    }

    static void index(Path dir, String rpcUrl, int points, long seed, CrashTable.Row row) throws Exception {
        Path data = dir.resolve("node");
        List<String> args = List.of("--rpc-url", rpcUrl, "--chain-id", "31337");
        int life = 0;
        String adapter;
        int rows;
        long buildMillis;
        DaemonChild first = DaemonChild.start(dir, data, null, args, false, life++);
        {
            NodeClient c = first.client();
            FineTuneJob j = c.createFineTuneJob(job(seed, 1, 50));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (!(j = c.fineTuneJob(j.id())).finished() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            if (!"succeeded".equals(j.status())) {
                first.stop();
                throw new AssertionError("the job to index did not succeed: " + j);
            }
            adapter = j.fineTunedModel();
            InfluenceIndexInfo info = awaitIndex(c, adapter, Duration.ofSeconds(300));
            first.stop();
            if (!"ready".equals(info.state())) {
                throw new AssertionError("the first index did not build: " + info);
            }
            rows = info.rows();
            buildMillis = Math.round(info.buildSeconds() * 1000);
        }
        KillPlan plan = new KillPlan(seed, List.of(new KillPlan.Hook("index.shard", 1),
                new KillPlan.Hook("index.promote", 1)), Math.max(1000, buildMillis * 3 / 2));
        ExecutorService watch = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < points; i++) {
                KillPlan.Point p = plan.next();
                DaemonChild node = DaemonChild.start(dir, data, p.crashAt(), args, false, life++);
                row.restarts++;
                if (Kills.haltedAtStart(node, p, dir, row)) {
                    continue;
                }
                NodeClient c = node.client();
                InfluenceIndexInfo now = state(c, adapter);
                row.check(now != null, "after a kill: the index of " + adapter + " is gone");
                if (now != null && ("ready".equals(now.state()) || "failed".equals(now.state()))) {
                    c.buildInfluenceIndex(adapter);
                }
                Future<?> building = watch.submit(() -> awaitIndex(c, adapter, Duration.ofSeconds(300)));
                Kills.land(node, p, building, Duration.ofSeconds(300), row);
                Kills.checkFiles(dir, row, p);
            }
            DaemonChild node = DaemonChild.start(dir, data, null, args, false, life++);
            row.restarts++;
            NodeClient c = node.client();
            InfluenceIndexInfo info = awaitIndex(c, adapter, Duration.ofSeconds(300));
            row.check("ready".equals(info.state()), "the index ended " + info.state() + ": " + info.error());
            row.check(info.rows() != null && info.rows() == rows, "the index holds " + info.rows() + " rows, not "
                    + rows);
            Path folder = data.resolve("attribution/indexes").resolve(adapter);
            row.check(Files.exists(folder.resolve("current/manifest.json")), "no served index in " + folder);
            row.check(!Files.exists(folder.resolve("old")), "a half-swapped index is left in " + folder);
            var r = c.attribute(new AttributionRequest(adapter, "Log 7: the keeper counted", null,
                    " 40 gulls on the north rock at dawn.", 3));
            row.check("done".equals(r.state()) && r.rowsScored() == rows, "the index does not answer: " + r.state()
                    + ", " + r.rowsScored() + " rows scored");
            node.stop();
        } finally {
            stop(watch);
        }
        Kills.checkFiles(dir, row, null);
        row.points = points;
    }

    private static void stop(ExecutorService watch) throws InterruptedException {
        watch.shutdownNow();
        watch.awaitTermination(30, TimeUnit.SECONDS);
    }

    private static InfluenceIndexInfo state(NodeClient c, String adapter) {
        return c.influenceIndexes().data().stream().filter(i -> i.adapter().equals(adapter)).findFirst().orElse(null);
    }

    private static InfluenceIndexInfo awaitIndex(NodeClient c, String adapter, Duration wait)
            throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        InfluenceIndexInfo info = state(c, adapter);
        while ((info == null || !(info.state().equals("ready") || info.state().equals("failed")))
                && System.nanoTime() < until) {
            Thread.sleep(50);
            info = state(c, adapter);
        }
        return info;
    }

    /** Whether the node's database holds a checkpoint of job {@code id}: a job with one must not end without it. */
    private static boolean saved(Path data, String id) throws Exception {
        Path db = data.resolve("fine_tuning.db");
        return Files.exists(db) && SqliteFiles.number(db, "SELECT COUNT(*) FROM fine_tuning_checkpoint WHERE job_id = '"
                + id + "'") > 0;
    }
}
